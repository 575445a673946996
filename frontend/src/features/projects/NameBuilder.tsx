import { Checkbox, Flex, Form, Input, Select, Typography } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { NamingConvention } from './api';
import { buildName, conventionSegments, type NameSegment } from './naming';

/**
 * The wizard's name, built from a picker per part of the naming convention: the period from the
 * project's period (the periods that fit it), choices as selects, text as inputs — with the raw
 * name as an advanced option. `input` is the form-bound name input: shown when editing the raw
 * name, kept (hidden) otherwise so the form still holds and validates the name.
 */
export function NameBuilder({
  convention,
  periodValues,
  checkedParts,
  input,
}: {
  convention: NamingConvention;
  /** The period codes that fit the chosen period (or dates), the best first. */
  periodValues: readonly string[];
  /** The parts the server read from the current name, to refill the pickers from a raw name. */
  checkedParts: Record<string, string>;
  input: ReactNode;
}) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const segments = useMemo(() => conventionSegments(convention), [convention]);
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...checkedParts }));
  const [raw, setRaw] = useState(false);

  // The period follows the chosen period: a value that does not fit it gives way to the best one.
  const effective = useMemo(() => {
    const best = periodValues[0];
    if (raw || best === undefined) return values;
    const next = { ...values };
    for (const s of segments) {
      if (s.kind === 'part' && s.rule.kind === 'period' && !periodValues.includes(next[s.key] ?? '')) {
        next[s.key] = best;
      }
    }
    return next;
  }, [periodValues, raw, segments, values]);

  // The pickers write the name (nothing until a part beyond the period is picked, so the rule
  // shows first rather than a complaint).
  useEffect(() => {
    if (raw) return;
    const started = segments.some((s) => s.kind === 'part' && s.rule.kind !== 'period' && effective[s.key]);
    const name = started ? buildName(segments, effective) : '';
    if ((form.getFieldValue('name') ?? '') !== name) form.setFieldsValue({ name });
  }, [form, raw, segments, effective]);

  const set = (key: string, value: string | undefined) => setValues((current) => ({ ...current, [key]: value ?? '' }));

  const toggleRaw = (on: boolean) => {
    setRaw(on);
    // Back to the pickers: they take what the server read from the raw name, when it could.
    if (!on && Object.keys(checkedParts).length > 0) setValues({ ...checkedParts });
  };

  const picker = (segment: Extract<NameSegment, { kind: 'part' }>) => {
    const { key, rule } = segment;
    const common = { 'aria-label': rule.label, 'data-testid': `name-part-${key}` };
    if (rule.kind === 'choice' || (rule.kind === 'period' && periodValues.length > 0)) {
      const options = rule.kind === 'choice' ? rule.values : periodValues;
      return (
        <Select
          {...common}
          value={effective[key] || undefined}
          onChange={(v: string) => set(key, v)}
          options={options.map((v) => ({ value: v, label: v }))}
          placeholder={rule.label}
          popupMatchSelectWidth={false}
          style={{ minWidth: 110 }}
        />
      );
    }
    return (
      <Input
        {...common}
        value={effective[key] ?? ''}
        onChange={(e) => set(key, e.target.value)}
        placeholder={rule.example || rule.label}
        maxLength={rule.kind === 'text' ? rule.max_length : 6}
        style={{ width: rule.kind === 'text' ? 220 : 110 }}
      />
    );
  };

  return (
    <Flex vertical gap={8} data-testid="name-builder">
      {raw ? null : (
        <>
          <Flex wrap gap={6} align="end">
            {segments.map((segment, i) =>
              segment.kind === 'literal' ? (
                <Typography.Text key={`lit-${i}`} strong style={{ paddingBottom: 5 }}>
                  {segment.text}
                </Typography.Text>
              ) : (
                <Flex key={segment.key} vertical gap={2}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {segment.rule.label}
                  </Typography.Text>
                  {picker(segment)}
                </Flex>
              ),
            )}
          </Flex>
          <Typography.Text type="secondary" data-testid="name-preview">
            {t('projects.naming.preview')}
            <Typography.Text strong>{buildName(segments, effective)}</Typography.Text>
          </Typography.Text>
        </>
      )}
      <div style={raw ? undefined : { display: 'none' }}>{input}</div>
      <Checkbox checked={raw} onChange={(e) => toggleRaw(e.target.checked)} data-testid="name-raw-toggle">
        {t('projects.naming.rawToggle')}
      </Checkbox>
    </Flex>
  );
}
