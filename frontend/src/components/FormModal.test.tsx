import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Form, Input } from 'antd';
import { ApiError } from '@/api/errors';
import { setLanguage } from '@/i18n';
import { FormModal } from './FormModal';

interface Values {
  name: string;
}

function Harness({
  onSubmit,
  onCancel,
  error,
}: {
  onSubmit: (v: Values) => void;
  onCancel: () => void;
  error?: unknown;
}) {
  const [form] = Form.useForm<Values>();
  return (
    <FormModal<Values>
      form={form}
      open
      title="新建"
      okText="创建"
      onSubmit={onSubmit}
      onCancel={onCancel}
      pending={false}
      error={error}
      submitTestId="thing-submit"
      formTestId="thing-form"
      initialValues={{ name: '' }}
    >
      <Form.Item name="name" label="名称" rules={[{ required: true, message: '请输入名称' }]}>
        <Input data-testid="thing-name" />
      </Form.Item>
    </FormModal>
  );
}

describe('FormModal', () => {
  beforeEach(async () => {
    await setLanguage('zh-CN');
  });

  it('submits the values only once the form validates', async () => {
    const onSubmit = vi.fn();
    const user = userEvent.setup();
    render(<Harness onSubmit={onSubmit} onCancel={vi.fn()} />);
    expect(screen.getByTestId('thing-form')).toBeInTheDocument();

    await user.click(screen.getByTestId('thing-submit'));
    expect(await screen.findByText('请输入名称')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();

    await user.type(screen.getByTestId('thing-name'), '双十一');
    await user.click(screen.getByTestId('thing-submit'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ name: '双十一' }));
  });

  it('shows the failure above the form and closes with 取消', async () => {
    const onCancel = vi.fn();
    const user = userEvent.setup();
    const error = new ApiError({ type: 'about:blank', title: 'Conflict', status: 409, detail: null, errors: [] });
    render(<Harness onSubmit={vi.fn()} onCancel={onCancel} error={error} />);
    expect(screen.getByTestId('problem-alert')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /取\s*消/ }));
    expect(onCancel).toHaveBeenCalled();
  });
});
