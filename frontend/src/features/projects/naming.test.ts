import { buildName, conventionSegments } from './naming';
import { partsByLabel } from '@/lib/nameParts';

const CONVENTION = {
  pattern: '{period}-{brand_line}-{campaign}',
  parts: {
    period: { kind: 'period', label: '期间' },
    brand_line: { kind: 'choice', label: '品牌线', values: ['品牌', '私域'] },
    campaign: { kind: 'text', label: '活动名', max_length: 30 },
  },
};

describe('building a name from the parts of the convention', () => {
  it('reads the pattern as separators and parts with their rules', () => {
    const segments = conventionSegments(CONVENTION);
    expect(segments.map((s) => (s.kind === 'literal' ? s.text : `${s.key}:${s.rule.kind}:${s.rule.label}`))).toEqual([
      'period:period:期间',
      '-',
      'brand_line:choice:品牌线',
      '-',
      'campaign:text:活动名',
    ]);
    const line = segments[2];
    expect(line?.kind === 'part' ? line.rule.values : []).toEqual(['品牌', '私域']);
  });

  it('puts each value in its place, trimmed, and leaves missing ones empty', () => {
    const segments = conventionSegments(CONVENTION);
    expect(buildName(segments, { period: '2026Q4', brand_line: '私域', campaign: ' 会员日 ' })).toBe(
      '2026Q4-私域-会员日',
    );
    expect(buildName(segments, { period: '2026Q4' })).toBe('2026Q4--');
  });

  it('names parts by their labels', () => {
    expect(partsByLabel({ period: '2026Q4', brand_line: '私域' }, CONVENTION.parts)).toBe('期间=2026Q4, 品牌线=私域');
    expect(partsByLabel({ other: 'x' }, CONVENTION.parts)).toBe('other=x');
  });
});
