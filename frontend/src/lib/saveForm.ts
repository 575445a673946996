import type { UseMutationResult } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { applyFieldErrors } from './formErrors';

interface SaveFormOptions<Saved, Existing, Values, CreateVars, UpdateVars> {
  form: FormInstance<Values>;
  /** The object being edited; null: the form makes a new one. */
  existing: Existing | null;
  create: UseMutationResult<Saved, Error, CreateVars>;
  update: UseMutationResult<Saved, Error, UpdateVars>;
  createVars: (values: Values) => CreateVars;
  updateVars: (existing: Existing, values: Values) => UpdateVars;
  /** The form's field names, for the server's field errors (see `applyFieldErrors`). */
  fields: readonly string[];
  onSaved?: (saved: Saved, created: boolean) => void;
  onClose: () => void;
}

/**
 * What a 新建 / 编辑 modal does with its form: creates or updates, tells the caller and closes
 * when saved, puts the server's field errors under their fields when not, and forgets the last
 * attempt on closing. Gives `FormModal` its `onSubmit`, `onCancel`, `pending` and `error`.
 */
export function useSaveForm<Saved, Existing, Values, CreateVars, UpdateVars>({
  form,
  existing,
  create,
  update,
  createVars,
  updateVars,
  fields,
  onSaved,
  onClose,
}: SaveFormOptions<Saved, Existing, Values, CreateVars, UpdateVars>) {
  const mutation = existing ? update : create;
  const close = () => {
    create.reset();
    update.reset();
    onClose();
  };
  const handlers = (created: boolean) => ({
    onSuccess: (saved: Saved) => {
      onSaved?.(saved, created);
      close();
    },
    onError: (error: unknown) => void applyFieldErrors(form, error, { fields }),
  });
  const submit = (values: Values) => {
    if (existing) update.mutate(updateVars(existing, values), handlers(false));
    else create.mutate(createVars(values), handlers(true));
  };
  return { submit, close, pending: mutation.isPending, error: mutation.error };
}
