import { App } from 'antd';
import { useState } from 'react';
import type { AllocationSaved } from './api';
import { BookingConflictsModal } from './BookingConflictsModal';

/**
 * What follows a saved booking: a short confirmation when it conflicts with nothing, otherwise
 * the conflicts in a dialog of the page (not App's: its links need the router around them).
 * Render `dialog` once on the page; pass `announce` as the form's `onSaved`.
 */
export function useBookingOutcome(doneText: (saved: AllocationSaved) => string) {
  const { message } = App.useApp();
  const [saved, setSaved] = useState<AllocationSaved | null>(null);
  const announce = (allocation: AllocationSaved) => {
    if (allocation.conflicts.length === 0) void message.success(doneText(allocation));
    else setSaved(allocation);
  };
  return { announce, dialog: <BookingConflictsModal saved={saved} onClose={() => setSaved(null)} /> };
}
