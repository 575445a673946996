import i18n, { setLanguage } from '@/i18n';
import { ApiError, networkError } from '@/api/errors';
import { errorText, fieldErrorText, fieldLabel, speaksUiLanguage } from './errorText';

const t = i18n.t.bind(i18n);

function problem(status: number, slug: string, detail: string | null, extra: Record<string, unknown> = {}) {
  const { errors, ...extensions } = extra;
  return new ApiError({
    type: `urn:mems:problem:${slug}`,
    title: 'Conflict',
    status,
    detail,
    errors: (errors as ApiError['errors'] | undefined) ?? [],
    extensions,
  });
}

const HAN = /[\u3400-\u9fff]/;
const LATIN_WORD = /[A-Za-z]{3,}/;

describe('errorText in the Chinese UI', () => {
  beforeEach(async () => {
    await setLanguage('zh-CN');
  });

  it('says a closing project needs its retrospective, not the English detail', () => {
    const error = problem(409, 'conflict', 'Cannot finish this project: a project is closed only after …', {
      current_status: 'closing',
      allowed_actions: ['finish', 'reopen'],
    });
    const text = errorText(error, t, { action: 'finish' });
    expect(text).toBe('结项前需先填写复盘：请先在项目页填写复盘，再结项。');
    expect(text).not.toMatch(LATIN_WORD);
  });

  it('names the status and the allowed actions of a refused transition in Chinese', () => {
    const error = problem(409, 'conflict', 'Cannot start this project: cannot start a draft project', {
      current_status: 'draft',
      allowed_actions: ['submit', 'cancel'],
    });
    expect(errorText(error, t, { action: 'start' })).toBe(
      '项目当前为「草稿」，不能启动项目。现在可以：提交立项、取消项目。',
    );
    expect(errorText(error, t)).toBe('项目当前为「草稿」，不能执行该操作。现在可以：提交立项、取消项目。');
    const final = problem(409, 'conflict', 'Cannot start', { current_status: 'closed', allowed_actions: [] });
    expect(errorText(final, t)).toContain('最终状态');
  });

  it('says a frozen or submitted project cannot be changed, from current_status alone', () => {
    expect(
      errorText(problem(409, 'conflict', 'A closed project cannot be changed.', { current_status: 'closed' }), t),
    ).toBe('项目当前为「已结项」，不能再修改。');
    expect(
      errorText(
        problem(409, 'conflict', 'The budget and manager are under approval', { current_status: 'submitted' }),
        t,
      ),
    ).toContain('撤回后才能修改');
  });

  it('translates the reasons of separation of duties and of approved projects', () => {
    expect(errorText(problem(403, 'forbidden', 'You asked for … .', { reason: 'own_request' }), t)).toBe(
      '这是你发起、提交或创建的申请，需由其他人审批。',
    );
    expect(
      errorText(problem(403, 'forbidden', 'You decided an earlier step.', { reason: 'second_step' }), t),
    ).toContain('前一步');
    const decided = problem(409, 'conflict', 'Project P2026-001 is approved: …', {
      reason: 'change_request_needed',
      current_status: 'approved',
      errors: [{ field: 'total_budget', message: 'decided by the approval', type: 'approved' }],
    });
    expect(errorText(decided, t)).toContain('变更申请');
    expect(errorText(decided, t)).not.toMatch(LATIN_WORD);
  });

  it('guides a naming refusal with the form, the part at fault and what it may hold', () => {
    const choice = problem(422, 'validation-failed', 'The name does not follow the naming convention: …', {
      expected_form: '{期间}-{品牌线}-{活动名}',
      example: '2026Q4-品牌-双十一大促',
      part: 'brand_line',
      part_label: '品牌线',
      allowed_values: ['品牌', '电商', '新品'],
      errors: [{ field: 'name', message: 'does not follow the naming convention', type: 'naming_convention' }],
    });
    expect(errorText(choice, t)).toBe(
      '名称应符合命名规则 {期间}-{品牌线}-{活动名}，例如 2026Q4-品牌-双十一大促。品牌线只能是：品牌 / 电商 / 新品。',
    );
    const long = problem(422, 'validation-failed', 'Activity name is longer than 20 characters.', {
      expected_form: '{期间}-{活动名}',
      part_label: '活动名',
      limit: 20,
    });
    expect(errorText(long, t)).toBe('名称应符合命名规则 {期间}-{活动名}。活动名最多 20 个字符。');
  });

  it('says a duplicate member or a duplicate field in Chinese, naming the field by its label', () => {
    const member = problem(409, 'conflict', 'someone@demo.mems is already a member of this organisation.', {
      errors: [{ field: 'email', message: 'already a member', type: 'duplicate' }],
    });
    expect(errorText(member, t)).toBe('该邮箱已是本组织成员');
    const team = problem(409, 'duplicate', 'Something with the same name already exists', {
      errors: [{ field: 'name', message: 'already exists', type: 'duplicate' }],
    });
    expect(errorText(team, t)).toBe('名称已存在，请换一个');
    expect(errorText(team, t, { fieldLabels: { name: '团队名称' } })).toBe('团队名称已存在，请换一个');
  });

  it('lists the fields of a validation problem by their labels', () => {
    const error = problem(422, 'validation-failed', 'Invalid input: current_password, body.new_password', {
      errors: [
        { field: 'current_password', message: 'wrong password', type: 'mismatch' },
        { field: 'body.new_password', message: 'String should have at least 8 characters', type: 'string_too_short' },
      ],
    });
    expect(errorText(error, t)).toBe('以下内容有误：当前密码、新密码');
  });

  it('keeps a server detail already in Chinese, and replaces an English one by type or status', () => {
    expect(errorText(problem(404, 'not-found', '未找到邀请 1。'), t)).toBe('未找到邀请 1。');
    expect(errorText(problem(404, 'not-found', 'Project 1 not found.'), t)).toBe('未找到该内容，可能已被删除');
    expect(errorText(problem(403, 'forbidden', "Your role 'viewer' does not allow 'x'."), t)).toBe('无权执行此操作');
    expect(errorText(problem(409, 'conflict', 'You cannot remove yourself.'), t)).toBe('操作冲突，请刷新后重试');
    expect(errorText(problem(409, 'stale-version', 'changed', { current_version: 3 }), t)).toBe(
      '数据已被他人修改，请刷新后重试',
    );
    expect(errorText(networkError(new Error('Failed to fetch')), t)).toBe('无法连接服务器，请检查网络后重试');
    expect(errorText(new Error('boom'), t)).toBe('出错了');
  });

  it('translates field messages by their type when the server sent English', () => {
    expect(fieldErrorText({ field: 'new_password', message: 'must differ', type: 'unchanged' }, t)).toBe(
      '不能与当前密码相同',
    );
    expect(fieldErrorText({ field: 'email', message: '已是成员', type: 'duplicate' }, t)).toBe('已是成员');
    expect(fieldLabel('body.members[0].role', t)).toBe('成员');
    expect(fieldLabel('owner_member_id', t)).toBe('项目经理');
  });
});

describe('errorText in the English UI', () => {
  afterEach(async () => {
    await setLanguage('zh-CN');
  });

  it('speaks English and uses the server detail', async () => {
    await setLanguage('en');
    expect(errorText(problem(409, 'conflict', 'You cannot remove yourself.'), t)).toBe('You cannot remove yourself.');
    const error = problem(409, 'conflict', 'Cannot finish', { current_status: 'closing', allowed_actions: ['finish'] });
    const text = errorText(error, t, { action: 'finish' });
    expect(text).toBe('Write the retrospective before closing the project.');
    expect(text).not.toMatch(HAN);
  });
});

describe('speaksUiLanguage', () => {
  it('treats text without Chinese characters as untranslated for zh-CN only', () => {
    expect(speaksUiLanguage('Not found', 'zh-CN')).toBe(false);
    expect(speaksUiLanguage('未找到', 'zh-CN')).toBe(true);
    expect(speaksUiLanguage('Not found', 'en')).toBe(true);
  });
});
