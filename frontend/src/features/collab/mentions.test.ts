import { fromWire, segments, toWire } from './mentions';

const WANG = '0b0e8f7e-1a2b-4c3d-8e9f-000000000001';
const WANGFANG = '0b0e8f7e-1a2b-4c3d-8e9f-000000000002';

describe('mentions', () => {
  it('turns picked names into tokens where the name ends, longest first', () => {
    const picked = new Map([
      ['王', WANG],
      ['王芳', WANGFANG],
    ]);
    expect(toWire('请 @王芳 和 @王，看一下 @王五 的稿子', picked)).toBe(
      `请 @[王芳](${WANGFANG}) 和 @[王](${WANG})，看一下 @王五 的稿子`,
    );
    expect(toWire('@王芳', picked)).toBe(`@[王芳](${WANGFANG})`);
    expect(toWire('没有提及', picked)).toBe('没有提及');
  });

  it('cuts a stored text into text and mentions, and back to what the input shows', () => {
    const body = `请 @[王芳](${WANGFANG}) 看，@[坏](not-an-id) 不算`;
    expect(segments(body)).toEqual([
      { kind: 'text', text: '请 ' },
      { kind: 'mention', name: '王芳', memberId: WANGFANG },
      { kind: 'text', text: ' 看，@[坏](not-an-id) 不算' },
    ]);
    const { text, picked } = fromWire(body);
    expect(text).toBe('请 @王芳 看，@[坏](not-an-id) 不算');
    expect([...picked]).toEqual([['王芳', WANGFANG]]);
    expect(toWire(text, picked)).toBe(body);
  });

  it('never lets a name with brackets make a token', () => {
    expect(toWire('@a]b', new Map([['a]b', WANG]]))).toBe('@a]b');
  });
});
