import { WarningOutlined } from '@ant-design/icons';
import { Button, Modal, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AllocationSaved } from './api';
import { ConflictList } from './ConflictList';

/** A booking saved with conflicts: what it overloads or double-books (it is kept all the same). */
export function BookingConflictsModal({ saved, onClose }: { saved: AllocationSaved | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={!!saved}
      title={
        <Space>
          <WarningOutlined style={{ color: '#faad14' }} />
          {t('resources.allocate.doneWithConflicts', { count: saved?.conflicts.length ?? 0 })}
        </Space>
      }
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose} data-testid="allocation-conflicts-ok">
          {t('common.confirm')}
        </Button>
      }
      width={640}
    >
      {saved ? <ConflictList conflicts={saved.conflicts} testId="allocation-conflicts" /> : null}
    </Modal>
  );
}
