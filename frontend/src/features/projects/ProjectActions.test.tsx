import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import '@/i18n';
import { ProjectActions } from './ProjectActions';

describe('ProjectActions', () => {
  it('renders a button for each allowed action, in lifecycle order, and nothing else', () => {
    render(<ProjectActions allowed={['cancel', 'submit']} onAction={() => undefined} />);
    const buttons = within(screen.getByTestId('project-actions')).getAllByRole('button');
    expect(buttons.map((b) => b.textContent?.replace(/\s/g, ''))).toEqual(['提交立项', '取消项目']);
    expect(screen.queryByTestId('action-start')).toBeNull();
  });

  it('renders nothing when the caller may not act', () => {
    const { container } = render(<ProjectActions allowed={[]} onAction={() => undefined} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('asks before submitting and only acts on confirmation', async () => {
    const onAction = vi.fn();
    const user = userEvent.setup();
    render(<ProjectActions allowed={['submit', 'cancel']} onAction={onAction} />);
    await user.click(screen.getByTestId('action-submit'));
    expect(await screen.findByText('提交后将通知审批人进行立项审批，确定提交吗？')).toBeInTheDocument();
    expect(onAction).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('action-confirm'));
    expect(onAction).toHaveBeenCalledExactlyOnceWith('submit');
  });

  it('acts at once for an action that needs no confirmation', async () => {
    const onAction = vi.fn();
    const user = userEvent.setup();
    render(<ProjectActions allowed={['revise']} onAction={onAction} />);
    await user.click(screen.getByTestId('action-revise'));
    expect(onAction).toHaveBeenCalledExactlyOnceWith('revise');
  });

  it('disables a blocked action and says why, instead of letting the server refuse it', async () => {
    const onAction = vi.fn();
    const user = userEvent.setup();
    render(
      <ProjectActions allowed={['finish', 'reopen']} onAction={onAction} blocked={{ finish: '结项前需先填写复盘' }} />,
    );
    const finish = screen.getByTestId('action-finish');
    expect(finish).toBeDisabled();
    await user.hover(screen.getByTestId('action-finish-blocked'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent('结项前需先填写复盘');
    await user.click(screen.getByTestId('action-finish-blocked'));
    expect(screen.queryByTestId('action-confirm')).toBeNull();
    expect(onAction).not.toHaveBeenCalled();
    expect(screen.getByTestId('action-reopen')).toBeEnabled();
  });

  it('disables the other buttons while one action is being sent', () => {
    render(<ProjectActions allowed={['start', 'cancel']} onAction={() => undefined} pending="start" />);
    expect(screen.getByTestId('action-cancel')).toBeDisabled();
  });
});
