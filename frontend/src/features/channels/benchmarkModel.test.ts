import type { BenchmarkCell } from './api';
import {
  benchmarkCsv,
  cellValue,
  csvRecords,
  editValue,
  formatBenchmark,
  fractionToPercent,
  gridRows,
  importValue,
  kindOf,
  metricOf,
  parseBenchmarkCsv,
  percentToFraction,
  shiftDecimal,
} from './benchmarkModel';

describe('percents and fractions', () => {
  it('moves the point exactly, without floats', () => {
    expect(percentToFraction('1.5')).toBe('0.015');
    expect(percentToFraction('1.1')).toBe('0.011');
    expect(percentToFraction('12')).toBe('0.12');
    expect(percentToFraction('100')).toBe('1');
    expect(percentToFraction('0.0001')).toBe('0.000001');
    expect(fractionToPercent('0.015000')).toBe('1.5');
    expect(fractionToPercent('0.200000')).toBe('20');
    expect(shiftDecimal('007.50', 0)).toBe('7.5');
    expect(shiftDecimal('.5', 0)).toBe('0.5');
  });

  it('round-trips every percent with up to four places', () => {
    for (let i = 1; i < 3000; i += 7) {
      const percent = shiftDecimal(String(i), -3); // 0.001 … 2.999
      expect(fractionToPercent(percentToFraction(percent))).toBe(percent);
    }
  });

  it('types CTR and CVR as percents and the rest as they are', () => {
    expect(editValue('ctr', '0.015000')).toBe('1.5');
    expect(editValue('cpc', '1.200000')).toBe('1.2');
    expect(editValue('roas', '2.500000')).toBe('2.5');
  });
});

describe('cellValue', () => {
  it('sends a typed percent as the fraction and money as typed', () => {
    expect(cellValue('ctr', '1.5')).toEqual({ value: '0.015' });
    expect(cellValue('cvr', 2)).toEqual({ value: '0.02' });
    expect(cellValue('cpm', '35')).toEqual({ value: '35' });
    expect(cellValue('roas', '2.50')).toEqual({ value: '2.5' });
  });

  it('refuses what the server would', () => {
    expect(cellValue('ctr', '')).toEqual({ problem: 'value' });
    expect(cellValue('ctr', null)).toEqual({ problem: 'value' });
    expect(cellValue('cpc', '-1')).toEqual({ problem: 'value' });
    expect(cellValue('cpc', 'abc')).toEqual({ problem: 'value' });
    expect(cellValue('cpc', '0')).toEqual({ problem: 'positive' });
    expect(cellValue('ctr', '1.23456')).toEqual({ problem: 'places' });
    expect(cellValue('cpa', '1.1234567')).toEqual({ problem: 'places' });
    expect(cellValue('cpa', '1234567890123')).toEqual({ problem: 'tooLarge' });
    expect(cellValue('ctr', '150')).toEqual({ problem: 'ratio' });
  });
});

describe('formatBenchmark', () => {
  it('reads ratios as percents, costs as yuan and ROAS plain', () => {
    expect(formatBenchmark('ctr', '0.015000', 'zh-CN')).toBe('1.50%');
    expect(formatBenchmark('cvr', '0.012500', 'zh-CN')).toBe('1.25%');
    expect(formatBenchmark('cpc', '1.200000', 'zh-CN')).toBe('¥1.20');
    expect(formatBenchmark('cpm', '35', 'en')).toBe('CN¥35.00');
    expect(formatBenchmark('roas', '2.500000', 'zh-CN')).toBe('2.50');
    expect(formatBenchmark('roas', null, 'zh-CN')).toBe('—');
  });
});

const cell = (channel_kind: BenchmarkCell['channel_kind'], metric: string, value: string, overridden = false) => ({
  channel_kind,
  metric,
  value,
  shipped: value,
  overridden,
});

describe('gridRows', () => {
  it('puts the cells in rows by kind, in the kinds’ order', () => {
    const rows = gridRows([
      cell('search', 'ctr', '0.03'),
      cell('short_video', 'cpc', '1.2'),
      cell('short_video', 'ctr', '0.02'),
      cell('short_video', 'unknown', '1'),
    ]);
    expect(rows.map((r) => r.kind)).toEqual(['short_video', 'search']);
    expect(Object.keys(rows[0]!.cells).sort()).toEqual(['cpc', 'ctr']);
  });
});

describe('names in an import', () => {
  it('knows the kinds and metrics by key and label', () => {
    expect(kindOf('短视频')).toBe('short_video');
    expect(kindOf(' Short video ')).toBe('short_video');
    expect(kindOf('内容种草')).toBe('content');
    expect(kindOf('feed')).toBe('feed');
    expect(kindOf('电商')).toBe('ecommerce');
    expect(kindOf('直播')).toBeNull();
    expect(metricOf('CTR')).toBe('ctr');
    expect(metricOf('点击率')).toBe('ctr');
    expect(metricOf('千次展示成本')).toBe('cpm');
    expect(metricOf('roi')).toBeNull();
  });

  it('reads values: fractions or percents for ratios, yuan with signs and separators', () => {
    expect(importValue('ctr', '1.8%')).toEqual({ value: '0.018' });
    expect(importValue('ctr', '0.018')).toEqual({ value: '0.018' });
    expect(importValue('ctr', '1.8')).toEqual({ problem: 'ratioOverOne' });
    expect(importValue('cpc', '2%')).toEqual({ problem: 'percentNotRatio' });
    expect(importValue('cpm', '¥1,035.50')).toEqual({ value: '1035.5' });
    expect(importValue('roas', 'n/a')).toEqual({ problem: 'value' });
  });
});

describe('csvRecords', () => {
  it('reads quoted cells, doubled quotes, CRLF and a BOM', () => {
    const { records, unclosed } = csvRecords('\uFEFFa,"b, c","say ""hi"""\r\n1,2,3');
    expect(records).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['1', '2', '3'],
    ]);
    expect(unclosed).toBe(false);
    expect(csvRecords('a,"b').unclosed).toBe(true);
  });

  it('splits text pasted from a spreadsheet at tabs', () => {
    expect(csvRecords('短视频\tCTR\t1.8%\n').records).toEqual([['短视频', 'CTR', '1.8%']]);
  });
});

describe('parseBenchmarkCsv', () => {
  it('reads a file with a header in any order and Chinese labels', () => {
    const parsed = parseBenchmarkCsv(
      ['value,指标,渠道类型', '1.8%,点击率,短视频', '2.5,cpc,search', '', '"1,200",CPM,信息流'].join('\n'),
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows).toBe(3);
    expect(parsed.items).toEqual([
      { channel_kind: 'short_video', metric: 'ctr', value: '0.018' },
      { channel_kind: 'search', metric: 'cpc', value: '2.5' },
      { channel_kind: 'feed', metric: 'cpm', value: '1200' },
    ]);
  });

  it('reads rows without a header as channel_kind, metric, value', () => {
    const parsed = parseBenchmarkCsv('social,cvr,0.02\nother,roas,3');
    expect(parsed.problems).toEqual([]);
    expect(parsed.items).toEqual([
      { channel_kind: 'social', metric: 'cvr', value: '0.02' },
      { channel_kind: 'other', metric: 'roas', value: '3' },
    ]);
  });

  it('lists each row’s problems by row and column and keeps the good rows', () => {
    const parsed = parseBenchmarkCsv(
      [
        'channel_kind,metric,value',
        '直播,ctr,1%', // 2: unknown kind
        'search,点击,1%', // 3: unknown metric
        'search,ctr,abc', // 4: not a number
        'search,cvr,2.5', // 5: a bare ratio above 1
        'search,cpc,0', // 6: not more than 0
        'search,cpc,1.5', // 7: fine
        'search,cpc,1.6', // 8: the same cell again
      ].join('\n'),
    );
    expect(parsed.problems).toEqual([
      { row: 2, column: 'channel_kind', code: 'kind', text: '直播' },
      { row: 3, column: 'metric', code: 'metric', text: '点击' },
      { row: 4, column: 'value', code: 'value', text: 'abc' },
      { row: 5, column: 'value', code: 'ratioOverOne', text: '2.5' },
      { row: 6, column: 'value', code: 'positive', text: '0' },
      { row: 8, column: null, code: 'duplicate', first: 7 },
    ]);
    expect(parsed.items).toEqual([{ channel_kind: 'search', metric: 'cpc', value: '1.5' }]);
  });

  it('names a header without a column it needs', () => {
    expect(parseBenchmarkCsv('channel_kind,value\nsearch,1').problems).toEqual([
      { row: 1, column: 'metric', code: 'missingColumn' },
    ]);
  });

  it('refuses nothing to import and more than one PUT takes', () => {
    expect(parseBenchmarkCsv('\n\n').problems).toEqual([{ row: 0, column: null, code: 'empty' }]);
    expect(parseBenchmarkCsv('channel_kind,metric,value\n').problems).toEqual([
      { row: 0, column: null, code: 'empty' },
    ]);
    const kinds = ['short_video', 'content', 'social', 'search', 'feed', 'ecommerce', 'other'];
    const many = Array.from({ length: 501 }, (_, i) => `${kinds[i % 7]},cpc,${i + 1}`).join('\n');
    expect(parseBenchmarkCsv(many).problems).toContainEqual({ row: 0, column: null, code: 'tooMany' });
  });

  it('reads back the file the grid downloads as', () => {
    const items = [cell('short_video', 'ctr', '0.020000'), cell('short_video', 'cpm', '35.000000')];
    const csv = benchmarkCsv(items);
    expect(csv).toBe('channel_kind,metric,value\nshort_video,ctr,2%\nshort_video,cpm,35\n');
    expect(parseBenchmarkCsv(csv).items).toEqual([
      { channel_kind: 'short_video', metric: 'ctr', value: '0.02' },
      { channel_kind: 'short_video', metric: 'cpm', value: '35' },
    ]);
  });
});
