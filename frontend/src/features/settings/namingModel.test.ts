import {
  addChoiceValue,
  buildNamingBody,
  draftFromConvention,
  draftPreview,
  isDirty,
  namingErrors,
} from './namingModel';
import { ApiError } from '@/api/errors';

const SAVED = {
  revision: 1,
  enabled: true,
  pattern: '{period}-{brand_line}-{campaign}',
  parts: {
    period: { kind: 'period', label: '期间', values: [], max_length: 40, example: '2026Q4' },
    brand_line: { kind: 'choice', label: '品牌线', values: ['品牌', '电商'], max_length: 40, example: '' },
    campaign: { kind: 'text', label: '活动名', values: [], max_length: 30, example: '双十一大促' },
  },
  expected_form: '{期间}-{品牌线}-{活动名}',
  example: '2026Q4-品牌-双十一大促',
};

describe('the naming convention editor', () => {
  it('previews the draft the way the server does', () => {
    const draft = draftFromConvention(SAVED);
    expect(draftPreview(draft)).toEqual({ expectedForm: SAVED.expected_form, example: SAVED.example });
    expect(isDirty(draft, SAVED)).toBe(false);
  });

  it('adds a choice value once, and sends only what the part kind uses', () => {
    const draft = draftFromConvention(SAVED);
    const brand = draft.parts[1]!;
    const added = addChoiceValue(addChoiceValue(brand, ' 直播 '), '直播');
    expect(added.values).toEqual(['品牌', '电商', '直播']);
    const next = { ...draft, parts: draft.parts.map((p) => (p.key === 'brand_line' ? added : p)) };
    expect(isDirty(next, SAVED)).toBe(true);
    const body = buildNamingBody(next);
    expect(body.pattern).toBe(SAVED.pattern);
    expect(body.revision).toBe(1); // sent back: a concurrent change is refused
    expect(body.parts.brand_line).toEqual({
      kind: 'choice',
      label: '品牌线',
      values: ['品牌', '电商', '直播'],
      max_length: 40,
      example: '',
    });
    expect(body.parts.campaign?.values).toEqual([]);
  });

  it('puts a 422 on the pattern or on the part it names', () => {
    const error = new ApiError({
      type: 'about:blank',
      title: 'Validation failed',
      status: 422,
      detail: null,
      errors: [
        { field: 'pattern', message: 'the pattern uses undefined parts: region', type: 'invalid_convention' },
        {
          field: 'parts.brand_line.values[0]',
          message: 'String should have at most 40 characters',
          type: 'string_too_long',
        },
      ],
    });
    expect(namingErrors(error)).toEqual({
      pattern: ['the pattern uses undefined parts: region'],
      parts: { brand_line: ['String should have at most 40 characters'] },
      general: [],
    });
  });
});
