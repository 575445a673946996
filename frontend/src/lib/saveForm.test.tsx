import { QueryClient, QueryClientProvider, useMutation } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Form, Input } from 'antd';
import { ApiError } from '@/api/errors';
import { FormModal } from '@/components/FormModal';
import { setLanguage } from '@/i18n';
import { useSaveForm } from './saveForm';

interface Thing {
  id: string;
  name: string;
}
interface Values {
  name: string;
}

const taken = new ApiError({
  type: 'urn:mems:problem:validation-failed',
  title: '输入校验未通过',
  status: 422,
  detail: null,
  errors: [{ field: 'body.name', message: '名称已被使用', type: 'duplicate' }],
});

function Harness(props: {
  existing: Thing | null;
  save: (vars: unknown) => Promise<Thing>;
  onSaved: (saved: Thing, created: boolean) => void;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const create = useMutation({ mutationFn: (body: Values) => props.save({ create: body }) });
  const update = useMutation({ mutationFn: (vars: { id: string; body: Values }) => props.save({ update: vars }) });
  const { submit, close, pending, error } = useSaveForm({
    form,
    existing: props.existing,
    create,
    update,
    createVars: (values) => values,
    updateVars: (thing, values) => ({ id: thing.id, body: values }),
    fields: ['name'],
    onSaved: props.onSaved,
    onClose: props.onClose,
  });
  return (
    <FormModal<Values>
      form={form}
      open
      title="编辑"
      okText="保存"
      onSubmit={submit}
      onCancel={close}
      pending={pending}
      error={error}
      submitTestId="thing-submit"
      formTestId="thing-form"
      initialValues={{ name: props.existing?.name ?? '' }}
    >
      <Form.Item name="name" label="名称">
        <Input data-testid="thing-name" />
      </Form.Item>
    </FormModal>
  );
}

function renderHarness(props: Parameters<typeof Harness>[0]) {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <Harness {...props} />
    </QueryClientProvider>,
  );
}

describe('useSaveForm', () => {
  beforeEach(async () => {
    await setLanguage('zh-CN');
  });

  it('creates a new object, tells the caller it was created and closes', async () => {
    const save = vi.fn((vars: unknown) => Promise.resolve({ id: 't-1', name: '双十一', vars } as Thing));
    const onSaved = vi.fn();
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderHarness({ existing: null, save, onSaved, onClose });
    await user.type(screen.getByTestId('thing-name'), '双十一');
    await user.click(screen.getByTestId('thing-submit'));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(save).toHaveBeenCalledWith({ create: { name: '双十一' } });
    expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ id: 't-1' }), true);
  });

  it('updates the object being edited and says it was not created', async () => {
    const save = vi.fn(() => Promise.resolve({ id: 't-1', name: '双十二' }));
    const onSaved = vi.fn();
    const user = userEvent.setup();
    renderHarness({ existing: { id: 't-1', name: '双十一' }, save, onSaved, onClose: vi.fn() });
    await user.clear(screen.getByTestId('thing-name'));
    await user.type(screen.getByTestId('thing-name'), '双十二');
    await user.click(screen.getByTestId('thing-submit'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith({ id: 't-1', name: '双十二' }, false));
    expect(save).toHaveBeenCalledWith({ update: { id: 't-1', body: { name: '双十二' } } });
  });

  it('puts the server’s field error under its field and stays open', async () => {
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderHarness({ existing: null, save: () => Promise.reject(taken), onSaved: vi.fn(), onClose });
    await user.type(screen.getByTestId('thing-name'), '双十一');
    await user.click(screen.getByTestId('thing-submit'));
    await waitFor(() =>
      expect(document.querySelector('.ant-form-item-explain-error')?.textContent).toBe('名称已被使用'),
    );
    expect(onClose).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: /取\s*消/ }));
    expect(onClose).toHaveBeenCalled();
  });
});
