import { commitProblems, customField, fieldChoices, isHeaderProblem, mappingOf, markOf, remap } from './uploadModel';
import { uploadPreview } from './testing';

describe('the upload mapping', () => {
  it('lists every column of the file with its field, null where left out', () => {
    expect(mappingOf(uploadPreview({ columns: ['日期', '', '备注'], mapping: { 日期: 'date' } }))).toEqual({
      日期: 'date',
      备注: null,
    });
  });

  it('moves a field to the column chosen, leaving out the column that had it', () => {
    const mapping = { 计划ID: 'campaign', 计划名称: 'campaign_name', 备注: null };
    expect(remap(mapping, '备注', 'campaign')).toEqual({ 计划ID: null, 计划名称: 'campaign_name', 备注: 'campaign' });
    expect(remap(mapping, '计划ID', null)).toEqual({ 计划ID: null, 计划名称: 'campaign_name', 备注: null });
    // Choosing what a column already has changes nothing.
    expect(remap(mapping, '计划ID', 'campaign')).toEqual(mapping);
  });

  it('offers the server’s fields and the custom metrics in use', () => {
    const preview = uploadPreview({
      fields: ['date', 'spend'],
      mapping: { 日期: 'date', 播放量: 'custom:播放量', x: null },
    });
    expect(fieldChoices(preview)).toEqual(['date', 'spend', 'custom:播放量']);
  });

  it('names a custom metric after its header, as the server takes names', () => {
    expect(customField('完播率 (%)')).toBe('custom:完播率_');
    expect(customField('Video plays')).toBe('custom:Video_plays');
    expect(customField('()')).toBeNull();
    expect(customField('x'.repeat(50))).toBe(`custom:${'x'.repeat(40)}`);
  });

  it('tells a saved column from a guessed one', () => {
    const preview = uploadPreview({ saved: ['消耗'], guessed: ['日期', '消耗'] });
    expect(markOf(preview, '消耗')).toBe('saved');
    expect(markOf(preview, '日期')).toBe('guessed');
    expect(markOf(preview, '备注')).toBeNull();
  });

  it('puts problems on or above the header on the mapping', () => {
    expect(isHeaderProblem(3, 3)).toBe(true);
    expect(isHeaderProblem(4, 3)).toBe(false);
  });

  it('reads a refused commit’s problems by row', () => {
    expect(
      commitProblems([
        { field: 'rows[12].spend', message: '第 12 行，列“消耗”：不是金额', type: 'import_row' },
        { field: 'mapping', message: '没有日期列', type: 'import_row' },
      ]),
    ).toEqual([
      { row: 12, field: 'spend', message: '第 12 行，列“消耗”：不是金额' },
      { row: null, field: 'mapping', message: '没有日期列' },
    ]);
  });
});
