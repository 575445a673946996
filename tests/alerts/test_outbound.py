"""Outbound notification bodies and signatures, checked against values computed here from the
platforms' documented rules (REFERENCE.md, "Outbound chat notifications")."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mems.alerts.outbound import ChannelKind, Notice, build_request
from mems.core.signing import SignatureRefused, sign_generic, verify_generic, verify_meta

NOW = datetime(2026, 5, 9, 7, 35, 25, 123456, tzinfo=UTC)
TS = 1778312125  # NOW in seconds
TS_MS = 1778312125123
SECRET = "SEC0123456789abcdef"
ALERT_URL = "https://mems.example.com/alerts/42"


def notice(**changes: Any) -> Notice:
    values: dict[str, Any] = {
        "title": "点击率低于阈值",
        "text": "活动「双十一预热」的点击率低于 0.8%。",
        "severity": "critical",
        "button": "查看",
        "url": ALERT_URL,
        "fields": [("指标", "CTR"), ("当前值", "0.52%"), ("阈值", "0.80%")],
        "event": "alert.fired",
        "payload": {"alert_id": "42", "value": Decimal("0.0052")},
    }
    values.update(changes)
    return Notice(**values)


def body(request_body: bytes) -> Any:
    return json.loads(request_body.decode("utf-8"))


def test_reference_timestamps() -> None:
    assert int(NOW.timestamp()) == TS
    assert TS_MS // 1000 == TS


# --- Feishu ------------------------------------------------------------------------------


def test_feishu_card_without_secret() -> None:
    request = build_request(
        ChannelKind.FEISHU, "https://open.feishu.cn/hook/x", None, notice(), NOW
    )
    assert request.method == "POST"
    assert request.url == "https://open.feishu.cn/hook/x"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert body(request.body) == {
        "msg_type": "interactive",
        "card": {
            "header": {
                "title": {"tag": "plain_text", "content": "点击率低于阈值"},
                "template": "red",
            },
            "elements": [
                {
                    "tag": "div",
                    "text": {
                        "tag": "lark_md",
                        "content": "活动「双十一预热」的点击率低于 0.8%。\n"
                        "**指标**: CTR\n**当前值**: 0.52%\n**阈值**: 0.80%\n\n"
                        f"[查看]({ALERT_URL})",
                    },
                }
            ],
        },
    }
    assert "点击率".encode() in request.body  # UTF-8 as is, no \u escapes


def test_feishu_signature_is_hmac_keyed_by_timestamp_and_secret_over_nothing() -> None:
    request = build_request(
        ChannelKind.FEISHU, "https://open.feishu.cn/hook/x", SECRET, notice(), NOW
    )
    expected = base64.b64encode(
        hmac.new(f"{TS}\n{SECRET}".encode(), b"", hashlib.sha256).digest()
    ).decode()
    sent = body(request.body)
    assert sent["timestamp"] == str(TS)
    assert sent["sign"] == expected
    assert sent["msg_type"] == "interactive"


@pytest.mark.parametrize(
    ("severity", "template"), [("critical", "red"), ("warning", "orange"), ("info", "blue")]
)
def test_feishu_header_colour_follows_severity(severity: str, template: str) -> None:
    request = build_request(ChannelKind.FEISHU, "https://f", None, notice(severity=severity), NOW)
    assert body(request.body)["card"]["header"]["template"] == template


def test_unknown_severity_is_refused() -> None:
    with pytest.raises(ValueError, match="severity"):
        notice(severity="fatal")


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        build_request(ChannelKind.FEISHU, "https://f", None, notice(), datetime(2026, 5, 9))


def test_time_in_another_zone_signs_the_same_instant() -> None:
    shanghai = NOW.astimezone(timezone(timedelta(hours=8)))
    a = build_request(ChannelKind.FEISHU, "https://f", SECRET, notice(), NOW)
    b = build_request(ChannelKind.FEISHU, "https://f", SECRET, notice(), shanghai)
    assert a.body == b.body


def test_feishu_long_text_is_cut_to_20k_keeping_valid_json_and_the_link() -> None:
    text = '预算超支😀"\\\n' * 5000  # multi-byte, emoji and characters JSON escapes
    request = build_request(ChannelKind.FEISHU, "https://f", SECRET, notice(text=text), NOW)
    assert len(request.body) <= 20_000
    assert len(request.body) > 19_000  # cut to fit, not emptied
    content = body(request.body)["card"]["elements"][0]["text"]["content"]
    main, link = content.rsplit("\n\n", 1)
    assert link == f"[查看]({ALERT_URL})"
    assert main.endswith("…")
    assert text.startswith(main.removesuffix("…"))
    assert body(request.body)["sign"]  # still signed


def test_short_text_is_not_cut() -> None:
    request = build_request(ChannelKind.FEISHU, "https://f", None, notice(text="短"), NOW)
    content = body(request.body)["card"]["elements"][0]["text"]["content"]
    assert content.startswith("短\n**指标**")
    assert "…" not in content


def test_long_title_is_cut_to_200_characters() -> None:
    request = build_request(ChannelKind.FEISHU, "https://f", None, notice(title="标" * 500), NOW)
    title = body(request.body)["card"]["header"]["title"]["content"]
    assert title == "标" * 199 + "…"


@settings(max_examples=40, deadline=None)
@given(text=st.text(min_size=0, max_size=30_000), repeat=st.integers(1, 3))
def test_every_chat_body_is_valid_json_within_limits(text: str, repeat: int) -> None:
    n = notice(text=text * repeat, fields=[("标签", text[:3000])])
    for kind in (ChannelKind.FEISHU, ChannelKind.DINGTALK):
        request = build_request(kind, "https://x/?a=1", SECRET, n, NOW)
        assert len(request.body) <= 20_000
        assert isinstance(body(request.body), dict)
    wecom = body(build_request(ChannelKind.WECOM, "https://x", None, n, NOW).body)
    assert len(wecom["markdown"]["content"].encode("utf-8")) <= 4096
    slack = body(build_request(ChannelKind.SLACK, "https://x", None, n, NOW).body)
    assert len(slack["blocks"][0]["text"]["text"]) <= 3000
    assert len(slack["text"]) <= 3000


def test_lone_surrogates_do_not_break_the_body() -> None:
    request = build_request(ChannelKind.FEISHU, "https://f", None, notice(text="a\ud800b"), NOW)
    assert "a?b" in body(request.body)["card"]["elements"][0]["text"]["content"]


# --- DingTalk ----------------------------------------------------------------------------


def dingtalk_expected_sign(timestamp_ms: int) -> str:
    digest = hmac.new(
        SECRET.encode(), f"{timestamp_ms}\n{SECRET}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def test_dingtalk_action_card_and_signed_url() -> None:
    hook = "https://oapi.dingtalk.com/robot/send?access_token=abc123"
    request = build_request(ChannelKind.DINGTALK, hook, SECRET, notice(), NOW)
    sign = dingtalk_expected_sign(TS_MS)
    assert request.url == f"{hook}&timestamp={TS_MS}&sign={quote_plus(sign)}"
    query = parse_qs(urlsplit(request.url).query)
    assert query == {"access_token": ["abc123"], "timestamp": [str(TS_MS)], "sign": [sign]}
    assert body(request.body) == {
        "msgtype": "actionCard",
        "actionCard": {
            "title": "点击率低于阈值",
            "text": "### 点击率低于阈值\n\n活动「双十一预热」的点击率低于 0.8%。\n\n"
            "**指标**: CTR\n\n**当前值**: 0.52%\n\n**阈值**: 0.80%",
            "singleTitle": "查看",
            "singleURL": ALERT_URL,
        },
    }


def test_dingtalk_signature_is_not_feishus() -> None:
    feishu_style = base64.b64encode(
        hmac.new(f"{TS_MS}\n{SECRET}".encode(), b"", hashlib.sha256).digest()
    ).decode()
    request = build_request(ChannelKind.DINGTALK, "https://d/robot?t=1", SECRET, notice(), NOW)
    assert parse_qs(urlsplit(request.url).query)["sign"] != [feishu_style]


def test_dingtalk_url_without_query_gets_one_and_old_signature_is_replaced() -> None:
    plain = build_request(ChannelKind.DINGTALK, "https://d/robot", SECRET, notice(), NOW)
    assert plain.url.startswith(f"https://d/robot?timestamp={TS_MS}&sign=")
    stale = "https://d/robot?access_token=x&timestamp=1&sign=old"
    again = build_request(ChannelKind.DINGTALK, stale, SECRET, notice(), NOW)
    query = parse_qs(urlsplit(again.url).query)
    assert query["timestamp"] == [str(TS_MS)]
    assert query["sign"] == [dingtalk_expected_sign(TS_MS)]
    assert query["access_token"] == ["x"]


def test_dingtalk_without_secret_keeps_the_url_and_without_link_sends_markdown() -> None:
    hook = "https://oapi.dingtalk.com/robot/send?access_token=abc"
    request = build_request(ChannelKind.DINGTALK, hook, None, notice(url=None, fields=[]), NOW)
    assert request.url == hook
    assert body(request.body) == {
        "msgtype": "markdown",
        "markdown": {
            "title": "点击率低于阈值",
            "text": "### 点击率低于阈值\n\n活动「双十一预热」的点击率低于 0.8%。",
        },
    }


# --- WeCom -------------------------------------------------------------------------------


def test_wecom_markdown() -> None:
    request = build_request(
        ChannelKind.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "ignored",
        notice(severity="info"), NOW,
    )  # fmt: skip
    assert request.url == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    assert body(request.body) == {
        "msgtype": "markdown",
        "markdown": {
            "content": '<font color="info">**点击率低于阈值**</font>\n'
            "活动「双十一预热」的点击率低于 0.8%。\n"
            "> 指标: CTR\n> 当前值: 0.52%\n> 阈值: 0.80%\n"
            f"[查看]({ALERT_URL})"
        },
    }


def test_wecom_content_is_cut_to_4096_bytes_on_a_character() -> None:
    text = "超" * 3000  # 9000 bytes
    content = body(
        build_request(ChannelKind.WECOM, "https://w", None, notice(text=text), NOW).body
    )["markdown"]["content"]
    encoded = content.encode("utf-8")
    assert 4096 - 3 < len(encoded) <= 4096  # as full as whole characters allow
    assert content.endswith(f"…\n[查看]({ALERT_URL})")


# --- Slack -------------------------------------------------------------------------------


def test_slack_blocks_and_fallback_escape_control_characters() -> None:
    n = notice(title="CTR < 1% & falling", text="see <http://evil|here>", fields=[("a>b", "1")])
    request = build_request(
        ChannelKind.SLACK, "https://hooks.slack.com/services/T/B/X", None, n, NOW
    )
    assert body(request.body) == {
        "text": "CTR &lt; 1% &amp; falling: see &lt;http://evil|here&gt;",
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "*CTR &lt; 1% &amp; falling*\nsee &lt;http://evil|here&gt;\n"
                    f"*a&gt;b:* 1\n<{ALERT_URL}|查看>",
                },
            }
        ],
    }


def test_slack_section_is_cut_to_3000_characters_without_splitting_an_escape() -> None:
    n = notice(text="&" * 5000)
    text = body(build_request(ChannelKind.SLACK, "https://s", None, n, NOW).body)["blocks"][0][
        "text"
    ]["text"]
    assert len(text) <= 3000
    main = text.split("\n", 1)[1].split("…", 1)[0]
    assert main == "&amp;" * (len(main) // 5)  # whole escapes only


# --- generic webhook ---------------------------------------------------------------------


def test_generic_webhook_body_and_signature() -> None:
    request = build_request(
        ChannelKind.WEBHOOK, "https://hooks.example.com/in", SECRET, notice(), NOW
    )
    assert body(request.body) == {
        "event": "alert.fired",
        "title": "点击率低于阈值",
        "text": "活动「双十一预热」的点击率低于 0.8%。",
        "severity": "critical",
        "url": ALERT_URL,
        "fields": [
            {"label": "指标", "value": "CTR"},
            {"label": "当前值", "value": "0.52%"},
            {"label": "阈值", "value": "0.80%"},
        ],
        "data": {"alert_id": "42", "value": "0.0052"},
        "sent_at": "2026-05-09T07:35:25Z",
    }
    assert request.headers["X-MEMS-Timestamp"] == str(TS)
    assert request.headers["X-MEMS-Event"] == "alert.fired"
    mac = hmac.new(SECRET.encode(), f"{TS}.".encode() + request.body, hashlib.sha256)
    assert request.headers["X-MEMS-Signature"] == "sha256=" + mac.hexdigest()


def test_generic_webhook_without_secret_is_unsigned() -> None:
    request = build_request(ChannelKind.WEBHOOK, "https://h", None, notice(), NOW)
    assert "X-MEMS-Signature" not in request.headers
    assert "X-MEMS-Timestamp" not in request.headers


def test_generic_payload_that_is_not_json_is_refused() -> None:
    with pytest.raises(TypeError, match="object"):
        build_request(
            ChannelKind.WEBHOOK, "https://h", SECRET, notice(payload={"x": object()}), NOW
        )


# --- verify_generic ----------------------------------------------------------------------

BODY = b'{"event":"metrics.batch","rows":[1,2,3]}'


def signed(timestamp: int = TS, body_: bytes = BODY, secret: str = SECRET) -> str:
    return (
        "sha256="
        + hmac.new(secret.encode(), f"{timestamp}.".encode() + body_, hashlib.sha256).hexdigest()
    )


def test_sign_generic_matches_the_documented_scheme() -> None:
    assert sign_generic(SECRET, TS, BODY) == signed()


def test_verify_generic_accepts_a_fresh_signature() -> None:
    verify_generic(SECRET, str(TS), signed(), BODY, NOW)
    verify_generic(SECRET, str(TS), signed().upper().replace("SHA256=", "sha256="), BODY, NOW)


@pytest.mark.parametrize("skew", [timedelta(minutes=-5), timedelta(minutes=5)])
def test_verify_generic_accepts_the_edge_of_the_tolerance(skew: timedelta) -> None:
    verify_generic(SECRET, str(TS), signed(), BODY, NOW + skew)


@pytest.mark.parametrize("skew", [timedelta(seconds=-301), timedelta(seconds=301)])
def test_verify_generic_refuses_stale_either_way(skew: timedelta) -> None:
    with pytest.raises(SignatureRefused) as refused:
        verify_generic(SECRET, str(TS), signed(), BODY, NOW + skew)
    assert refused.value.reason == "stale"


def test_verify_generic_tolerance_is_a_parameter() -> None:
    late = NOW + timedelta(minutes=20)
    verify_generic(SECRET, str(TS), signed(), BODY, late, tolerance=timedelta(minutes=30))


@pytest.mark.parametrize(
    ("timestamp", "signature", "body_"),
    [
        (str(TS), signed(), BODY + b" "),  # tampered body
        (str(TS), signed(secret="other"), BODY),  # wrong secret
        (str(TS + 1), signed(), BODY),  # timestamp changed after signing
        (str(TS), "sha256=" + "0" * 64, BODY),
    ],
)
def test_verify_generic_refuses_a_bad_signature(
    timestamp: str, signature: str, body_: bytes
) -> None:
    with pytest.raises(SignatureRefused) as refused:
        verify_generic(SECRET, timestamp, signature, body_, NOW)
    assert refused.value.reason == "bad_signature"


def test_a_bad_signature_is_reported_before_staleness() -> None:
    with pytest.raises(SignatureRefused) as refused:
        verify_generic(SECRET, str(TS), signed(secret="other"), BODY, NOW + timedelta(hours=1))
    assert refused.value.reason == "bad_signature"


@pytest.mark.parametrize(
    ("timestamp", "signature"), [(None, signed()), ("", signed()), (str(TS), None), (str(TS), "")]
)
def test_verify_generic_refuses_missing_headers(
    timestamp: str | None, signature: str | None
) -> None:
    with pytest.raises(SignatureRefused) as refused:
        verify_generic(SECRET, timestamp, signature, BODY, NOW)
    assert refused.value.reason == "missing"


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [
        ("12a", signed()),
        ("-5", signed()),
        ("1.5", signed()),
        ("9" * 40, signed()),
        (str(TS), signed().removeprefix("sha256=")),
        (str(TS), "sha1=" + "0" * 40),
        (str(TS), "sha256=" + "z" * 64),
        (str(TS), signed()[:-1]),
        (str(TS), signed() + ",sha256=" + "0" * 64),
    ],
)
def test_verify_generic_refuses_malformed_headers(timestamp: str, signature: str) -> None:
    with pytest.raises(SignatureRefused) as refused:
        verify_generic(SECRET, timestamp, signature, BODY, NOW)
    assert refused.value.reason == "malformed"


def test_verify_generic_needs_a_secret() -> None:
    with pytest.raises(ValueError, match="secret"):
        verify_generic("", str(TS), signed(), BODY, NOW)


def test_outbound_generic_request_verifies_with_verify_generic() -> None:
    request = build_request(ChannelKind.WEBHOOK, "https://h", SECRET, notice(), NOW)
    h = request.headers
    verify_generic(SECRET, h["X-MEMS-Timestamp"], h["X-MEMS-Signature"], request.body, NOW)


# --- verify_meta -------------------------------------------------------------------------

APP_SECRET = "meta-app-secret"


def meta_signature(body_: bytes = BODY, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body_, hashlib.sha256).hexdigest()


def test_verify_meta_accepts_the_raw_body_signature() -> None:
    verify_meta(APP_SECRET, meta_signature(), BODY)


@pytest.mark.parametrize(
    ("signature", "body_", "reason"),
    [
        (None, BODY, "missing"),
        ("", BODY, "missing"),
        ("sha1=abc", BODY, "malformed"),
        ("sha256=xyz", BODY, "malformed"),
        (meta_signature().removeprefix("sha256="), BODY, "malformed"),
        (meta_signature(), BODY + b"\n", "bad_signature"),
        (meta_signature(secret="other"), BODY, "bad_signature"),
        # the same JSON re-serialised is a different body: Meta signs the raw bytes
        (meta_signature(json.dumps(json.loads(BODY)).encode()), BODY, "bad_signature"),
    ],
)
def test_verify_meta_refuses(signature: str | None, body_: bytes, reason: str) -> None:
    with pytest.raises(SignatureRefused) as refused:
        verify_meta(APP_SECRET, signature, body_)
    assert refused.value.reason == reason
