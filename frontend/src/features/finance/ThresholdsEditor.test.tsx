import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ThresholdsButton } from './ThresholdsEditor';
import { api, finance, json, pm, project, renderPanel, summary, viewer } from './testing';

function puts() {
  return api.calls.filter((c) => c.method === 'PUT');
}

function fieldOf(testId: string): HTMLElement {
  return screen.getByTestId(testId).closest('.ant-form-item') as HTMLElement;
}

beforeEach(() => api.reset());
afterEach(() => vi.unstubAllGlobals());

describe('the thresholds editor', () => {
  it('sets the project’s own thresholds', async () => {
    api.respond = (method, path, body) =>
      method === 'PUT' && path === '/projects/p1/budget-settings'
        ? json({ ...(body as object), source: 'project' })
        : undefined;
    renderPanel(finance, <ThresholdsButton project={project} mayManage={false} summary={summary()} />);
    fireEvent.click(screen.getByTestId('thresholds-open'));
    // The organisation's thresholds are in force: the switch is on, the inputs show them.
    const orgDefault = await screen.findByTestId('thresholds-org-default');
    expect(orgDefault).toBeChecked();
    expect(screen.getByTestId('thresholds-warn')).toBeDisabled();
    fireEvent.click(orgDefault);
    await waitFor(() => expect(screen.getByTestId('thresholds-warn')).toBeEnabled());
    fireEvent.change(screen.getByTestId('thresholds-warn'), { target: { value: '70' } });
    fireEvent.change(screen.getByTestId('thresholds-critical'), { target: { value: '95' } });
    fireEvent.click(screen.getByTestId('thresholds-submit'));
    await waitFor(() => expect(puts()).toHaveLength(1));
    expect(puts()[0]!.body).toEqual({ warn_percent: '70', critical_percent: '95' });
  });

  it('goes back to the organisation’s thresholds by sending null', async () => {
    renderPanel(
      pm,
      <ThresholdsButton
        project={project}
        mayManage
        summary={summary({ thresholds: { warn_percent: '70', critical_percent: '95', source: 'project' } })}
      />,
    );
    fireEvent.click(screen.getByTestId('thresholds-open'));
    const orgDefault = await screen.findByTestId('thresholds-org-default');
    expect(orgDefault).not.toBeChecked();
    fireEvent.click(orgDefault);
    fireEvent.click(screen.getByTestId('thresholds-submit'));
    await waitFor(() => expect(puts()).toHaveLength(1));
    expect(puts()[0]!.body).toEqual({ warn_percent: null, critical_percent: null });
  });

  it('checks the order before sending and puts the server’s refusal under its field', async () => {
    api.respond = (method) =>
      method === 'PUT'
        ? json(
            {
              type: 'urn:mems:problem:validation-failed',
              title: '输入校验未通过',
              status: 422,
              detail: '输入校验未通过',
              errors: [{ field: 'warn_percent', message: '预警线（90%）高于超支线（85%）。', type: 'above_critical' }],
            },
            422,
          )
        : undefined;
    renderPanel(
      pm,
      <ThresholdsButton
        project={project}
        mayManage
        summary={summary({ thresholds: { warn_percent: '70', critical_percent: '95', source: 'project' } })}
      />,
    );
    fireEvent.click(screen.getByTestId('thresholds-open'));
    fireEvent.change(await screen.findByTestId('thresholds-warn'), { target: { value: '99' } });
    fireEvent.click(screen.getByTestId('thresholds-submit'));
    expect(await within(fieldOf('thresholds-warn')).findByText('预警线不能高于超支线')).toBeInTheDocument();
    expect(puts()).toHaveLength(0);

    fireEvent.change(screen.getByTestId('thresholds-warn'), { target: { value: '90' } });
    fireEvent.click(screen.getByTestId('thresholds-submit'));
    expect(await within(fieldOf('thresholds-warn')).findByText('预警线（90%）高于超支线（85%）。')).toBeInTheDocument();
  });

  it('is not offered to a reader', () => {
    renderPanel(viewer, <ThresholdsButton project={project} mayManage={false} summary={summary()} />);
    expect(screen.queryByTestId('thresholds-open')).toBeNull();
  });

  it('is not offered to a PM who does not manage the project', () => {
    renderPanel(pm, <ThresholdsButton project={project} mayManage={false} summary={summary()} />);
    expect(screen.queryByTestId('thresholds-open')).toBeNull();
  });
});
