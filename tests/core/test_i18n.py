"""Server messages follow Accept-Language (zh-CN by default) and every one is translated."""

from __future__ import annotations

import importlib.util
import json
import string
from pathlib import Path

import httpx
import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mems.core.errors import ProblemError, integrity_problem
from mems.core.i18n import _, catalogue, negotiate
from mems.core.tenancy import in_tenant
from mems.identity.models import Team
from tests.factories import OrgWithMembers

ROOT = Path(__file__).resolve().parents[2]


def _load_scanner():  # scripts/ is not a package
    spec = importlib.util.spec_from_file_location("i18n_missing", ROOT / "scripts/i18n_missing.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_server_message_has_a_chinese_translation_with_the_same_placeholders() -> None:
    zh = catalogue("zh-CN")
    found = _load_scanner().templates()
    assert len(found) > 100  # the scanner finds the marked messages
    missing = [t for t in found if not zh.get(t)]
    assert missing == []
    for template in found:
        assert _fields(zh[template]) == _fields(template), template


def test_every_problem_title_is_translated() -> None:
    zh = catalogue("zh-CN")

    def subclasses(cls: type) -> list[type]:
        return [cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))]

    import mems.main  # noqa: F401  (imports every domain's errors)

    titles = {cls.title for cls in subclasses(ProblemError)}
    assert [t for t in titles if t not in zh] == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "zh-CN"),
        ("", "zh-CN"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("fr-FR, en;q=0.5", "en"),
        ("en;q=0.3, zh;q=0.7", "zh-CN"),
        ("de", "zh-CN"),
        ("en;q=abc", "zh-CN"),
    ],
)
def test_negotiate_picks_the_readers_language(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_a_message_renders_in_either_language_with_its_parameters() -> None:
    message = _("The request body exceeds {limit} bytes.", limit=10)
    assert message.render("en") == "The request body exceeds 10 bytes."
    assert message.render("zh-CN") == "请求内容超过 10 字节上限。"
    assert str(message) == "The request body exceeds 10 bytes."


async def test_problems_follow_accept_language(client: httpx.AsyncClient) -> None:
    zh = await client.get("/api/v1/me", headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 401
    assert zh.json()["title"] == "需要登录"
    en = await client.get("/api/v1/me", headers={"Accept-Language": "en"})
    assert en.json()["title"] == "Authentication required"
    default = await client.get("/api/v1/me", headers={"Accept-Language": ""})
    assert default.json()["title"] == "需要登录"


async def test_validation_messages_are_chinese_by_default(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/api/v1/auth/login", json={"email": "a@b.cn"}, headers={"Accept-Language": "zh-CN"}
    )
    assert r.status_code == 422
    body = r.json()
    assert body["title"] == "输入校验未通过"
    assert body["detail"].startswith("输入有误")
    assert {"field": "password", "message": "必填", "type": "missing"} in body["errors"]
    raw = json.dumps(body, ensure_ascii=False)
    assert "Field required" not in raw


def test_vocabulary_words_inside_messages_are_translated() -> None:
    from mems.core.i18n import term, terms

    message = _(
        "A {status} project cannot take the action {action}; it allows: {allowed}.",
        status=term("closed"),
        action=term("submit"),
        allowed=terms(["reopen", "cancel"]),
    )
    assert message.render("en") == (
        "A closed project cannot take the action submit; it allows: reopen, cancel."
    )
    expected = "已结项状态的项目不能执行“提交立项”；当前可执行：重新打开、取消。"
    assert message.render("zh-CN") == expected
    assert term("approved", "request").render("zh-CN") == "通过"
    assert term("approved").render("zh-CN") == "已立项"


async def test_a_refused_transition_speaks_chinese(api: object) -> None:
    from tests.projects.helpers import API, create_project

    pm = await api("project_manager")  # type: ignore[operator]
    project = await create_project(pm)
    r = await pm.post(
        f"{API}/projects/{project['id']}/transitions",
        json={"action": "submit", "version": project["version"]},
        headers={"Accept-Language": "zh-CN"},
    )
    assert r.status_code == 409
    body = r.json()
    assert body["detail"] == "提交前请把项目关联到至少一个目标。"
    assert body["title"] == "操作冲突"
    assert body["reason"] == "no_goal_link"
    r = await pm.post(
        f"{API}/projects/{project['id']}/transitions",
        json={"action": "finish", "version": project["version"]},
        headers={"Accept-Language": "zh-CN"},
    )
    assert r.status_code == 409
    assert r.json()["detail"].startswith("草稿状态的项目不能执行“结项”")
    assert "allowed_actions" in r.json()


async def test_a_bad_e_mail_is_explained_in_chinese(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/api/v1/auth/login",
        json={"email": "not-an-address", "password": "x"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": "email", "message": "不是有效的邮箱地址", "type": "email_invalid"}
    ]


# Pydantic errors a JSON body, a query or a spreadsheet cannot cause: Python calls, types and
# validator internals.
_PYTHON_ONLY_ERRORS = {
    "arguments_type",
    "callable_type",
    "counter_type",
    "dataclass_exact_type",
    "dataclass_type",
    "default_factory_not_called",
    "deque_type",
    "ellipsis_error",
    "frozen_dict_type",
    "frozen_instance",
    "get_attribute_error",
    "is_instance_of",
    "is_subclass_of",
    "iteration_error",
    "missing_keyword_only_argument",
    "missing_positional_only_argument",
    "missing_sentinel_error",
    "multiple_argument_values",
    "named_tuple_type",
    "needs_python_object",
    "no_such_attribute",
    "ordered_dict_type",
    "recursion_depth_exceeded",
    "set_item_not_hashable",
    "unexpected_keyword_argument",
    "unexpected_positional_argument",
}


def test_every_validation_error_a_request_can_cause_has_chinese_words() -> None:
    """A field error in English for a Chinese user is a bug: every pydantic error type an
    input can cause names a template in the catalogue, with the context's placeholders."""
    from typing import get_args

    from pydantic_core.core_schema import ErrorType

    zh = catalogue("zh-CN")
    missing = sorted(
        t for t in set(get_args(ErrorType)) - _PYTHON_ONLY_ERRORS if f"validation.{t}" not in zh
    )
    assert missing == []


async def test_a_unique_violation_names_the_field_in_the_readers_language(
    session: AsyncSession, org: OrgWithMembers
) -> None:
    """The database's own refusal (two creates at the same moment, past the service's check)
    is answered in the reader's words: the field as a word of the product, not a column."""
    in_tenant(session, org.org.id)
    session.add(Team(org_id=org.org.id, name="增长组"))
    await session.flush()
    session.add(Team(org_id=org.org.id, name="增长组"))
    with pytest.raises(IntegrityError) as refused:
        await session.flush()
    await session.rollback()
    problem = integrity_problem(refused.value)
    zh = problem.to_problem("/t", "zh-CN")
    assert zh.detail == "已存在相同名称的记录（可能是同时创建的）；请刷新后查看。"
    assert [(e.field, e.message, e.type) for e in zh.errors or []] == [
        ("name", "已存在。", "duplicate")
    ]
    en = problem.to_problem("/t", "en")
    assert en.detail == (
        "Something with the same name already exists (perhaps created at the same moment); "
        "reload and check."
    )
    assert [(e.field, e.message) for e in en.errors or []] == [("name", "Already exists.")]
