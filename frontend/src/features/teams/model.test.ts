import { memberNames, teamBody } from './model';

describe('teamBody', () => {
  it('trims, turns empty text into null and puts the lead among the members once', () => {
    expect(teamBody({ name: '  品牌部 ', description: '   ', lead_member_id: 'm1', member_ids: ['m2', 'm1'] })).toEqual(
      {
        name: '品牌部',
        description: null,
        lead_member_id: 'm1',
        member_ids: ['m2', 'm1'],
      },
    );
    expect(teamBody({ name: '电商部', lead_member_id: 'm3', member_ids: ['m2'] }).member_ids).toEqual(['m2', 'm3']);
  });

  it('allows a team without lead or members', () => {
    expect(teamBody({ name: '内容组', lead_member_id: undefined, member_ids: undefined })).toEqual({
      name: '内容组',
      description: null,
      lead_member_id: null,
      member_ids: [],
    });
  });
});

describe('memberNames', () => {
  it('names the ids it knows, in order', () => {
    const names = new Map([
      ['a', '王'],
      ['b', '李'],
    ]);
    expect(memberNames(['b', 'x', 'a'], names)).toEqual(['李', '王']);
  });
});
