import { Card, Col, Flex, Row, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '@/components/EChart';
import type { DisplayLocale } from '@/lib/format';
import type { ChannelFigures, Dashboard } from './api';
import { placedChannels, QUADRANT_COLORS, QUADRANTS, quadrantOption } from './dashboardModel';

interface QuadrantCardProps {
  channels: ChannelFigures[];
  basis: Dashboard['basis'];
}

/**
 * 渠道象限: each channel that spent by its share of the spend (across) and its efficiency (up),
 * cut at an even share and at par; beside it what each quadrant means and what efficiency
 * measures (ROAS against the organisation's, or CTR against the benchmark without revenue).
 */
export function QuadrantCard({ channels, basis }: QuadrantCardProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const names = useMemo(
    () => ({
      star: t('channels.dashboard.quadrant.names.star'),
      potential: t('channels.dashboard.quadrant.names.potential'),
      inefficient: t('channels.dashboard.quadrant.names.inefficient'),
      watch: t('channels.dashboard.quadrant.names.watch'),
    }),
    [t],
  );
  const option = useMemo(
    () =>
      quadrantOption(
        channels,
        {
          quadrants: names,
          share: t('channels.dashboard.quadrant.share'),
          efficiency: t('channels.dashboard.quadrant.efficiency'),
          even: t('channels.dashboard.quadrant.even'),
          par: t('channels.dashboard.quadrant.par'),
        },
        { locale, currency: '' },
      ),
    [channels, names, locale, t],
  );
  const placed = new Set(placedChannels(channels).map((c) => c.channel_id));
  const unplaced = channels.filter((c) => !placed.has(c.channel_id));

  return (
    <Card title={t('channels.dashboard.quadrant.title')}>
      <Row gutter={[24, 16]}>
        <Col xs={24} lg={16}>
          <EChart option={option} height={340} label={t('channels.dashboard.quadrant.title')} testId="quadrant-chart" />
        </Col>
        <Col xs={24} lg={8}>
          <Flex vertical gap={10} data-testid="quadrant-legend">
            {QUADRANTS.map((quadrant) => (
              <Flex key={quadrant} gap={8} align="baseline" data-testid={`quadrant-${quadrant}`}>
                <span
                  aria-hidden
                  style={{
                    display: 'inline-block',
                    width: 10,
                    height: 10,
                    borderRadius: 5,
                    background: QUADRANT_COLORS[quadrant],
                    flex: 'none',
                  }}
                />
                <Flex vertical>
                  <Typography.Text strong>{names[quadrant]}</Typography.Text>
                  <Typography.Text type="secondary">
                    {t(`channels.dashboard.quadrant.explain.${quadrant}`)}
                  </Typography.Text>
                </Flex>
              </Flex>
            ))}
            <Typography.Text data-testid="quadrant-basis">
              {t(`channels.dashboard.quadrant.basis.${basis}`)}
            </Typography.Text>
            <Typography.Text type="secondary">{t('channels.dashboard.quadrant.axes')}</Typography.Text>
            {unplaced.length > 0 ? (
              <Typography.Text type="secondary" data-testid="quadrant-unplaced">
                {t('channels.dashboard.quadrant.unplaced', { names: unplaced.map((c) => c.name).join('、') })}
              </Typography.Text>
            ) : null}
          </Flex>
        </Col>
      </Row>
    </Card>
  );
}
