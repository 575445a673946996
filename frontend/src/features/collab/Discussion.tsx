import { DeleteOutlined, DownloadOutlined, EditOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  App,
  Avatar,
  Button,
  Divider,
  Empty,
  Flex,
  List,
  Mentions,
  Popconfirm,
  Skeleton,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import type { DiscussionProps } from '@/lib/collab';
import { formatDateTime } from '@/lib/format';
import { hasPermission } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import {
  attachmentsQuery,
  commentsQuery,
  COMMENTS_PAGE,
  downloadUrl,
  mentionableQuery,
  useAddComment,
  useDeleteAttachment,
  useDeleteComment,
  useEditComment,
  useUpload,
  type Attachment,
  type Comment,
} from './api';
import { formatSize } from './format';
import { fromWire, segments, toWire } from './mentions';

interface MentionInputProps {
  value: string;
  onChange: (value: string) => void;
  /** Names picked from the list → member ids (what becomes `@[Name](id)` when sent). */
  onPick: (name: string, memberId: string) => void;
  placeholder?: string;
  testId: string;
}

/** A text area where `@` lists the organisation's members to mention. */
function MentionInput({ value, onChange, onPick, placeholder, testId }: MentionInputProps) {
  const [search, setSearch] = useState('');
  const members = useQuery(mentionableQuery(search));
  const options = (members.data?.items ?? [])
    .filter((m) => m.is_active)
    .map((m) => ({
      key: m.id,
      value: m.name,
      label: (
        <span data-testid={`mention-option-${m.id}`}>
          {m.name} <Typography.Text type="secondary">{m.email}</Typography.Text>
        </span>
      ),
    }));
  return (
    <Mentions
      value={value}
      onChange={onChange}
      onSearch={(text) => setSearch(text)}
      onSelect={(option) => {
        if (option.value && option.key) onPick(option.value, option.key);
      }}
      options={options}
      loading={members.isFetching}
      placeholder={placeholder}
      autoSize={{ minRows: 2, maxRows: 8 }}
      maxLength={10000}
      data-testid={testId}
    />
  );
}

/** A comment's text with its mentions highlighted. */
function CommentText({ body }: { body: string }) {
  return (
    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
      {segments(body).map((s, i) =>
        s.kind === 'text' ? (
          <span key={i}>{s.text}</span>
        ) : (
          <Typography.Text key={i} strong style={{ color: '#1677ff' }} data-testid="comment-mention">
            @{s.name}
          </Typography.Text>
        ),
      )}
    </Typography.Paragraph>
  );
}

function CommentEditor({
  comment,
  subject,
  onDone,
}: {
  comment: Comment;
  subject: DiscussionProps;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const start = fromWire(comment.body);
  const [text, setText] = useState(start.text);
  const [picked, setPicked] = useState(start.picked);
  const edit = useEditComment(subject.subjectType, subject.subjectId);
  return (
    <Flex vertical gap={8} style={{ width: '100%' }}>
      <MentionInput
        value={text}
        onChange={setText}
        onPick={(name, id) => setPicked((m) => new Map(m).set(name, id))}
        testId="comment-edit-input"
      />
      {edit.error ? <ProblemAlert error={edit.error} testId="comment-edit-error" /> : null}
      <Flex gap={8}>
        <Button
          type="primary"
          size="small"
          loading={edit.isPending}
          disabled={!text.trim()}
          onClick={() => edit.mutate({ comment, body: toWire(text, picked) }, { onSuccess: onDone })}
          data-testid="comment-edit-save"
        >
          {t('collab.save')}
        </Button>
        <Button size="small" onClick={onDone}>
          {t('collab.cancel')}
        </Button>
      </Flex>
    </Flex>
  );
}

function CommentItem({ comment, subject }: { comment: Comment; subject: DiscussionProps }) {
  const { t } = useTranslation();
  const me = useSession();
  const [editing, setEditing] = useState(false);
  const remove = useDeleteComment(subject.subjectType, subject.subjectId);
  const { message } = App.useApp();
  const actions = [
    comment.can_edit && !editing ? (
      <Button
        key="edit"
        type="link"
        size="small"
        icon={<EditOutlined />}
        onClick={() => setEditing(true)}
        data-testid="comment-edit"
      >
        {t('collab.edit')}
      </Button>
    ) : null,
    comment.can_delete ? (
      <Popconfirm
        key="delete"
        title={t('collab.deleteConfirm')}
        okText={t('collab.delete')}
        cancelText={t('collab.cancel')}
        onConfirm={() => remove.mutate(comment.id, { onError: (error) => void message.error(errorText(error, t)) })}
      >
        <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid="comment-delete">
          {t('collab.delete')}
        </Button>
      </Popconfirm>
    ) : null,
  ].filter(Boolean);
  return (
    <List.Item actions={actions} data-testid="comment" data-comment-id={comment.id}>
      <List.Item.Meta
        avatar={<Avatar>{comment.author_name.slice(0, 1) || '?'}</Avatar>}
        title={
          <Flex gap={8} align="baseline" wrap>
            <span data-testid="comment-author">{comment.author_name}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(comment.created_at, me.org.timezone)}
            </Typography.Text>
            {comment.edited ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="comment-edited">
                {t('collab.edited')}
              </Typography.Text>
            ) : null}
          </Flex>
        }
        description={
          comment.deleted ? (
            <Typography.Text type="secondary" italic data-testid="comment-deleted">
              {t('collab.deleted')}
            </Typography.Text>
          ) : editing ? (
            <CommentEditor comment={comment} subject={subject} onDone={() => setEditing(false)} />
          ) : (
            <div data-testid="comment-body">
              <CommentText body={comment.body} />
            </div>
          )
        }
      />
    </List.Item>
  );
}

function Composer({ subject }: { subject: DiscussionProps }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [picked, setPicked] = useState(() => new Map<string, string>());
  const add = useAddComment(subject.subjectType, subject.subjectId);
  const send = () =>
    add.mutate(toWire(text.trim(), picked), {
      onSuccess: () => {
        setText('');
        setPicked(new Map());
      },
    });
  return (
    <Flex vertical gap={8}>
      <MentionInput
        value={text}
        onChange={setText}
        onPick={(name, id) => setPicked((m) => new Map(m).set(name, id))}
        placeholder={t('collab.placeholder')}
        testId="comment-input"
      />
      {add.error ? <ProblemAlert error={add.error} testId="comment-error" /> : null}
      <Flex justify="end">
        <Button
          type="primary"
          onClick={send}
          loading={add.isPending}
          disabled={!text.trim()}
          data-testid="comment-send"
        >
          {t('collab.send')}
        </Button>
      </Flex>
    </Flex>
  );
}

function Comments({ subject, canWrite }: { subject: DiscussionProps; canWrite: boolean }) {
  const { t } = useTranslation();
  const [limit, setLimit] = useState(COMMENTS_PAGE);
  const comments = useQuery(commentsQuery(subject.subjectType, subject.subjectId, limit));
  if (comments.isPending) return <Skeleton active />;
  if (comments.isError) return <ProblemAlert error={comments.error} onRetry={() => void comments.refetch()} />;
  const { items, total } = comments.data;
  return (
    <Flex vertical gap={12}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('collab.comments', { count: total })}
      </Typography.Title>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('collab.noComments')} />
      ) : (
        <List
          itemLayout="horizontal"
          dataSource={items}
          data-testid="comments"
          renderItem={(comment) => <CommentItem comment={comment} subject={subject} />}
        />
      )}
      {total > items.length ? (
        <Button type="link" onClick={() => setLimit((n) => n + COMMENTS_PAGE)} data-testid="comments-more">
          {t('collab.moreComments', { count: total - items.length })}
        </Button>
      ) : null}
      {canWrite ? (
        <Composer subject={subject} />
      ) : (
        <Typography.Text type="secondary">{t('collab.readOnly')}</Typography.Text>
      )}
    </Flex>
  );
}

function FileItem({ file, subject }: { file: Attachment; subject: DiscussionProps }) {
  const { t } = useTranslation();
  const me = useSession();
  const { message } = App.useApp();
  const remove = useDeleteAttachment(subject.subjectType, subject.subjectId);
  return (
    <List.Item
      data-testid="attachment"
      actions={[
        <Button
          key="download"
          type="link"
          size="small"
          icon={<DownloadOutlined />}
          href={downloadUrl(file.id)}
          download={file.filename}
          data-testid="attachment-download"
        >
          {t('collab.download')}
        </Button>,
        file.can_delete ? (
          <Popconfirm
            key="delete"
            title={t('collab.deleteFileConfirm', { name: file.filename })}
            okText={t('collab.delete')}
            cancelText={t('collab.cancel')}
            onConfirm={() => remove.mutate(file.id, { onError: (error) => void message.error(errorText(error, t)) })}
          >
            <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid="attachment-delete">
              {t('collab.delete')}
            </Button>
          </Popconfirm>
        ) : null,
      ].filter(Boolean)}
    >
      <List.Item.Meta
        avatar={<PaperClipOutlined />}
        title={
          <a href={downloadUrl(file.id)} download={file.filename} data-testid="attachment-name">
            {file.filename}
          </a>
        }
        description={t('collab.fileMeta', {
          size: formatSize(file.size_bytes),
          name: file.uploaded_by_name || t('audit.system'),
          time: formatDateTime(file.created_at, me.org.timezone),
        })}
      />
    </List.Item>
  );
}

function Files({ subject, canWrite }: { subject: DiscussionProps; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const files = useQuery(attachmentsQuery(subject.subjectType, subject.subjectId));
  const upload = useUpload(subject.subjectType, subject.subjectId);
  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('collab.files', { count: files.data?.total ?? 0 })}
        </Typography.Title>
        {canWrite ? (
          <Upload
            showUploadList={false}
            multiple
            customRequest={({ file, onSuccess, onError }) => {
              upload.mutate(file as File, {
                onSuccess: (created) => {
                  void message.success(t('collab.uploaded', { name: created.filename }));
                  onSuccess?.(created);
                },
                onError: (error) => onError?.(error),
              });
            }}
          >
            <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="attachment-upload">
              {t('collab.upload')}
            </Button>
          </Upload>
        ) : null}
      </Flex>
      {canWrite ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('collab.uploadHint')}
        </Typography.Text>
      ) : null}
      {upload.error ? (
        <ProblemAlert error={upload.error} title={t('collab.uploadFailed')} testId="attachment-error" />
      ) : null}
      {files.isPending ? (
        <Skeleton active />
      ) : files.isError ? (
        <ProblemAlert error={files.error} onRetry={() => void files.refetch()} />
      ) : files.data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('collab.noFiles')} />
      ) : (
        <List
          size="small"
          dataSource={files.data.items}
          data-testid="attachments"
          renderItem={(file) => <FileItem file={file} subject={subject} />}
        />
      )}
    </Flex>
  );
}

/**
 * The discussion of a project, task, work order or issue: its comments (with @mentions, which
 * notify the people mentioned) and its files. Whoever may see the subject reads it; those who
 * work on it write (the server decides; a refusal is shown as it explains it).
 */
export function Discussion(props: DiscussionProps) {
  const me = useSession();
  const canWrite = props.canWrite ?? hasPermission(me, 'work:write');
  const subject = { subjectType: props.subjectType, subjectId: props.subjectId };
  return (
    <Flex vertical gap={8} data-testid="discussion">
      <Comments subject={subject} canWrite={canWrite} />
      <Divider style={{ margin: '12px 0' }} />
      <Files subject={subject} canWrite={canWrite} />
    </Flex>
  );
}
