import { render, screen } from '@testing-library/react';
import { ApiError } from '@/api/errors';
import { setLanguage } from '@/i18n';
import { ProblemAlert } from './ProblemAlert';

describe('ProblemAlert', () => {
  beforeEach(async () => {
    await setLanguage('zh-CN');
  });

  it('lists the fields at fault by their labels and says no English in the Chinese UI', () => {
    const error = new ApiError({
      type: 'urn:mems:problem:validation-failed',
      title: 'Validation failed',
      status: 422,
      detail: 'Invalid input: body.new_password',
      errors: [{ field: 'body.new_password', message: 'must differ from the current password', type: 'unchanged' }],
    });
    render(<ProblemAlert error={error} fieldLabels={{ new_password: '新密码（再次确认前）' }} />);
    const alert = screen.getByTestId('problem-alert');
    expect(alert).toHaveTextContent('以下内容有误：新密码（再次确认前）');
    expect(alert).toHaveTextContent('新密码（再次确认前）：不能与当前密码相同');
    expect(alert.textContent).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('uses the tried action to explain a refused transition', () => {
    const error = new ApiError({
      type: 'urn:mems:problem:conflict',
      title: 'Conflict',
      status: 409,
      detail: 'Cannot finish this project: a project is closed only after its retrospective is written.',
      errors: [],
      extensions: { current_status: 'closing', allowed_actions: ['finish', 'reopen'] },
    });
    render(<ProblemAlert error={error} action="finish" />);
    expect(screen.getByTestId('problem-alert')).toHaveTextContent('结项前需先填写复盘');
  });
});
