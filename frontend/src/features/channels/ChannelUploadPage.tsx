import { InboxOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, Flex, Form, Row, Select, Spin, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { hasPermission } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import {
  channelsQuery,
  sourcesQuery,
  useUploadCommit,
  useUploadPreview,
  type Batch,
  type UploadPreview,
  type UploadRequest,
} from './api';
import { SourceKindTag } from './tags';
import { UploadBatch } from './UploadBatch';
import { FileProblem } from '@/components/SpreadsheetProblems';
import { CommitProblem, UploadPreviewView } from './UploadPreviewView';
import { mappingOf, remap, UPLOAD_ACCEPT, type Mapping } from './uploadModel';

/**
 * 上传渠道数据: an ad platform's export (CSV or Excel) read by the server and shown before
 * anything is stored — the column each field is read from (guessed from the headers, or the
 * source's saved mapping), the first rows as records, every problem by row and column, the
 * totals. A changed column reads the file again; 导入 sends every row as one batch (only when
 * nothing is wrong), then follows the batch until it is written.
 */
export function ChannelUploadPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const canManage = hasPermission(me, 'channels:manage');
  const [params] = useSearchParams();
  const sources = useQuery(sourcesQuery);
  const channels = useQuery(channelsQuery);
  const preview = useUploadPreview();
  const commit = useUploadCommit();
  const [file, setFile] = useState<File | null>(null);
  const [sourceId, setSourceId] = useState<string | null>(params.get('source'));
  const [channel, setChannel] = useState<string | null>(null);
  // The mapping the person set (null: the server's guess and the source's saved mapping).
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [saveMapping, setSaveMapping] = useState(false);
  // The preview on screen, kept while a change reads the file again.
  const [shown, setShown] = useState<UploadPreview | null>(null);
  const [batch, setBatch] = useState<Batch | null>(null);

  const read = (request: UploadRequest) => {
    commit.reset();
    preview.mutate(request, { onSuccess: setShown });
  };
  const current = (): Omit<UploadRequest, 'file'> => ({ sourceId, channel, mapping });

  const onFile = (chosen: File | null) => {
    setFile(chosen);
    setShown(null);
    setMapping(null);
    preview.reset();
    commit.reset();
    if (chosen) read({ ...current(), mapping: null, file: chosen });
  };
  const onSource = (value: string | null) => {
    setSourceId(value);
    // Another source brings its own saved mapping: the server's reading starts again.
    setMapping(null);
    if (value === null) setSaveMapping(false);
    if (file) read({ sourceId: value, channel, mapping: null, file });
  };
  const onChannel = (value: string | null) => {
    setChannel(value);
    if (file) read({ ...current(), channel: value, file });
  };
  const onMap = (column: string, field: string | null) => {
    if (!file || !shown) return;
    const next = remap(mappingOf(shown), column, field);
    setMapping(next);
    read({ ...current(), mapping: next, file });
  };
  const onCommit = () => {
    if (!file || !shown) return;
    const saving = saveMapping && !!sourceId && canManage;
    commit.mutate(
      { ...current(), mapping: mappingOf(shown), saveMapping: saving, file },
      {
        onSuccess: (sent) => {
          setBatch(sent);
          if (saving) void message.success(t('channels.upload.mappingSaved'));
        },
      },
    );
  };
  const again = () => {
    setBatch(null);
    onFile(null);
  };

  const activeSources = (sources.data ?? [])
    .filter((s) => s.active)
    .sort((a, b) => Number(b.kind === 'upload') - Number(a.kind === 'upload'));
  const rereading = preview.isPending && shown !== null;

  if (batch) {
    return (
      <>
        <PageHeader title={t('channels.upload.title')} subtitle={t('channels.upload.subtitle')} testId="upload-title" />
        <UploadBatch batch={batch} fileName={file?.name ?? ''} onAgain={again} />
      </>
    );
  }

  return (
    <>
      <PageHeader title={t('channels.upload.title')} subtitle={t('channels.upload.subtitle')} testId="upload-title" />
      <Flex vertical gap={16}>
        <Card>
          <Row gutter={24}>
            <Col xs={24} lg={10}>
              <Form layout="vertical">
                <Form.Item label={t('channels.upload.source')} extra={t('channels.upload.sourceHint')}>
                  <Select
                    allowClear
                    value={sourceId ?? undefined}
                    placeholder={t('channels.upload.noSource')}
                    loading={sources.isPending}
                    options={activeSources.map((s) => ({
                      value: s.id,
                      label: (
                        <Flex gap={6} align="center">
                          <span>{s.name}</span>
                          <SourceKindTag kind={s.kind} />
                        </Flex>
                      ),
                      name: s.name,
                    }))}
                    showSearch
                    optionFilterProp="name"
                    onChange={(value?: string) => onSource(value ?? null)}
                    disabled={commit.isPending}
                    data-testid="upload-source"
                  />
                </Form.Item>
                <Form.Item label={t('channels.upload.channel')} extra={t('channels.upload.channelHint')}>
                  <Select
                    allowClear
                    value={channel ?? undefined}
                    placeholder={t('channels.upload.noChannel')}
                    options={(channels.data ?? [])
                      .filter((c) => c.active)
                      .map((c) => ({ value: c.key, label: c.name }))}
                    onChange={(value?: string) => onChannel(value ?? null)}
                    disabled={commit.isPending}
                    data-testid="upload-channel"
                  />
                </Form.Item>
              </Form>
            </Col>
            <Col xs={24} lg={14}>
              <Upload.Dragger
                accept={UPLOAD_ACCEPT}
                maxCount={1}
                multiple={false}
                fileList={file ? [{ uid: 'chosen', name: file.name, status: 'done' }] : []}
                beforeUpload={(chosen) => {
                  onFile(chosen);
                  return false; // sent with the preview, not uploaded now
                }}
                onRemove={() => onFile(null)}
                disabled={commit.isPending}
                data-testid="upload-file"
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('channels.upload.drop')}</p>
                <p className="ant-upload-hint">{t('channels.upload.accepts')}</p>
              </Upload.Dragger>
            </Col>
          </Row>
        </Card>
        <FileProblem error={preview.error} testId="upload-problem" />
        <CommitProblem error={commit.error} />
        {preview.isPending && !shown ? (
          <Card>
            <Spin tip={t('channels.upload.reading')}>
              <div style={{ height: 80 }} />
            </Spin>
          </Card>
        ) : null}
        {shown ? (
          <Spin spinning={rereading}>
            <Flex vertical gap={16}>
              <UploadPreviewView preview={shown} fileName={file?.name ?? ''} onMap={onMap} />
              <Card size="small">
                <Flex justify="space-between" align="center" gap={12} wrap>
                  {sourceId && canManage ? (
                    <Checkbox
                      checked={saveMapping}
                      onChange={(e) => setSaveMapping(e.target.checked)}
                      data-testid="upload-save-mapping"
                    >
                      {t('channels.upload.saveMapping')}
                    </Checkbox>
                  ) : (
                    <span />
                  )}
                  <Flex gap={8} align="center">
                    {!shown.can_commit ? (
                      <Alert
                        type="warning"
                        showIcon
                        banner
                        message={t(shown.error_count > 0 ? 'channels.upload.blocked' : 'channels.upload.nothing')}
                        data-testid="upload-blocked"
                      />
                    ) : null}
                    <Button
                      type="primary"
                      disabled={!shown.can_commit || rereading}
                      loading={commit.isPending}
                      onClick={onCommit}
                      data-testid="upload-commit"
                    >
                      {t('channels.upload.commit', { count: shown.totals.rows })}
                    </Button>
                  </Flex>
                </Flex>
              </Card>
            </Flex>
          </Spin>
        ) : null}
      </Flex>
    </>
  );
}
