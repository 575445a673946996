import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App as AntApp } from 'antd';
import '@/i18n';
import type { Me } from '@/lib/roles';
import { SessionContext } from '@/lib/session';
import type { Attachment, Comment } from './api';
import { Discussion } from './Discussion';

const FANG = '0b0e8f7e-1a2b-4c3d-8e9f-00000000000f';

function comment(values: Partial<Comment>): Comment {
  return {
    id: 'c1',
    subject_type: 'project',
    subject_id: 'p1',
    author_member_id: 'm-other',
    author_name: '张伟',
    body: '',
    mentions: [],
    deleted: false,
    edited: false,
    created_at: '2026-11-30T02:00:00Z',
    updated_at: '2026-11-30T02:00:00Z',
    version: 1,
    can_edit: false,
    can_delete: false,
    ...values,
  };
}

const file: Attachment = {
  id: 'f1',
  subject_type: 'project',
  subject_id: 'p1',
  filename: '双十一方案.pdf',
  content_type: 'application/pdf',
  size_bytes: 2_400_000,
  sha256: 'ab'.repeat(32),
  uploaded_by_member_id: 'm-other',
  uploaded_by_name: '张伟',
  created_at: '2026-11-30T03:00:00Z',
  can_delete: false,
};

function me(permissions: string[]): Me {
  return {
    user: { id: 'u1', email: 'pm@demo.mems', name: '李经理', locale: 'zh-CN' },
    org: { timezone: 'Asia/Shanghai', currency: 'CNY' },
    membership_id: 'm-me',
    role: 'project_manager',
    permissions,
    via: 'session',
  } as unknown as Me;
}

let comments: Comment[] = [];
let posted: unknown[] = [];
let uploads: string[] = [];

function renderDiscussion(permissions = ['projects:read', 'work:write']) {
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/v1/discussions/project/p1/comments') {
      if (request.method === 'POST') {
        const body = (await request.clone().json()) as { body: string };
        posted.push(body);
        const created = comment({ id: `c${comments.length + 1}`, body: body.body, author_name: '李经理' });
        comments = [...comments, created];
        return Response.json(created, { status: 201 });
      }
      return Response.json({ items: comments, total: comments.length, limit: 50, offset: 0 });
    }
    if (url.pathname === '/api/v1/discussions/project/p1/attachments') {
      if (request.method === 'POST') {
        expect(request.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
        // One part named "file" (jsdom's File does not survive the trip into Node's fetch
        // Request as a file, so the stub answers by the order of the uploads).
        const form = await request.formData();
        uploads.push([...form.keys()].join(','));
        if (uploads.length === 2) {
          return Response.json(
            {
              type: 'urn:mems:problem:unsupported-media-type',
              title: '不接受此类文件',
              status: 415,
              detail: 'run.exe：不接受此类文件',
            },
            { status: 415, headers: { 'Content-Type': 'application/problem+json' } },
          );
        }
        return Response.json({ ...file, id: 'f2', filename: '预算.pdf' }, { status: 201 });
      }
      return Response.json({ items: [file], total: 1, limit: 200, offset: 0 });
    }
    if (url.pathname === '/api/v1/members') {
      return Response.json({
        items: [{ id: FANG, user_id: 'u2', email: 'fang@demo.mems', name: '王芳', role: 'member', is_active: true }],
        total: 1,
        limit: 20,
        offset: 0,
      });
    }
    return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AntApp>
        <SessionContext.Provider value={me(permissions)}>
          <Discussion subjectType="project" subjectId="p1" />
        </SessionContext.Provider>
      </AntApp>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  posted = [];
  uploads = [];
  comments = [
    comment({ id: 'c1', body: `请 @[王芳](${FANG}) 看一下预算` }),
    comment({ id: 'c2', deleted: true, author_name: '赵六' }),
  ];
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Discussion', () => {
  it('shows the comments with their mentions, a deleted one as deleted, and the files', async () => {
    renderDiscussion();
    const items = await screen.findAllByTestId('comment');
    expect(items).toHaveLength(2);
    expect(within(items[0]!).getByTestId('comment-mention')).toHaveTextContent('@王芳');
    expect(within(items[0]!).getByTestId('comment-body')).toHaveTextContent('请 @王芳 看一下预算');
    expect(within(items[1]!).getByTestId('comment-deleted')).toHaveTextContent('该评论已删除');
    // Neither is mine: no edit or delete.
    expect(screen.queryByTestId('comment-edit')).toBeNull();
    expect(screen.queryByTestId('comment-delete')).toBeNull();
    const attachment = await screen.findByTestId('attachment-name');
    expect(attachment).toHaveTextContent('双十一方案.pdf');
    expect(attachment).toHaveAttribute('href', '/api/v1/attachments/f1/content');
    expect(screen.getByTestId('attachment')).toHaveTextContent('2.3 MB');
  });

  it('sends a comment with the mention picked from the list as a token', async () => {
    const user = userEvent.setup();
    renderDiscussion();
    const input = await screen.findByTestId('comment-input');
    await user.type(input, '@王');
    await user.click(await screen.findByTestId(`mention-option-${FANG}`));
    await user.type(input, '请确认');
    await user.click(screen.getByTestId('comment-send'));
    await waitFor(() => expect(posted).toEqual([{ body: `@[王芳](${FANG}) 请确认` }]));
    await waitFor(() => expect(screen.getAllByTestId('comment')).toHaveLength(3));
    expect(input).toHaveValue('');
  });

  it('uploads a file as multipart and shows a refusal as the server explains it', async () => {
    const user = userEvent.setup({ applyAccept: false });
    renderDiscussion();
    await screen.findByTestId('attachment-name');
    const input = () => document.querySelector<HTMLInputElement>('input[type="file"]')!;
    await user.upload(input(), new File(['%PDF-1.4'], '预算.pdf', { type: 'application/pdf' }));
    await waitFor(() => expect(uploads).toEqual(['file']));
    expect(await screen.findByText('已上传“预算.pdf”')).toBeInTheDocument();
    await user.upload(input(), new File(['MZ'], 'run.exe')); // the Upload renders a fresh input
    await waitFor(() => expect(uploads).toHaveLength(2));
    expect(await screen.findByTestId('attachment-error')).toHaveTextContent('run.exe：不接受此类文件');
    expect(uploads).toEqual(['file', 'file']);
  });

  it('lets someone who may not take part read only', async () => {
    renderDiscussion(['projects:read']);
    await screen.findAllByTestId('comment');
    expect(screen.queryByTestId('comment-input')).toBeNull();
    expect(screen.queryByTestId('attachment-upload')).toBeNull();
    expect(screen.getByText('您可以查看讨论，但不能参与')).toBeInTheDocument();
  });

  it('edits and deletes one’s own comment', async () => {
    const user = userEvent.setup();
    comments = [comment({ id: 'c9', body: '初稿', author_member_id: 'm-me', can_edit: true, can_delete: true })];
    const sent: { method: string; body?: unknown }[] = [];
    renderDiscussion();
    const original = globalThis.fetch;
    vi.stubGlobal('fetch', async (request: Request) => {
      if (new URL(request.url).pathname === '/api/v1/comments/c9') {
        const body: unknown = request.method === 'PATCH' ? await request.clone().json() : undefined;
        sent.push({ method: request.method, body });
        return request.method === 'PATCH'
          ? Response.json({ ...comments[0], body: '终稿', version: 2, edited: true })
          : new Response(null, { status: 204 });
      }
      return original(request);
    });
    await user.click(await screen.findByTestId('comment-edit'));
    const editor = screen.getByTestId('comment-edit-input');
    await user.clear(editor);
    await user.type(editor, '终稿');
    await user.click(screen.getByTestId('comment-edit-save'));
    await waitFor(() => expect(sent).toEqual([{ method: 'PATCH', body: { body: '终稿', version: 1 } }]));
    fireEvent.click(screen.getByTestId('comment-delete'));
    const confirm = await waitFor(() => {
      const button = document.querySelector<HTMLButtonElement>('.ant-popconfirm-buttons .ant-btn-primary');
      expect(button).not.toBeNull();
      return button!;
    });
    await user.click(confirm);
    await waitFor(() => expect(sent.map((s) => s.method)).toEqual(['PATCH', 'DELETE']));
  });
});
