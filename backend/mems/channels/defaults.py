"""The channels most Chinese marketing teams buy or publish on, offered to every organisation
(an admin adds them with one call, and may add others: channels are data, not code)."""

from __future__ import annotations

from mems.channels.models import ChannelKind

# key (what integrations send), name, kind
DEFAULT_CHANNELS: tuple[tuple[str, str, ChannelKind], ...] = (
    ("douyin", "抖音", ChannelKind.SHORT_VIDEO),
    ("kuaishou", "快手", ChannelKind.SHORT_VIDEO),
    ("xiaohongshu", "小红书", ChannelKind.CONTENT),
    ("wechat", "微信", ChannelKind.SOCIAL),
    ("weibo", "微博", ChannelKind.SOCIAL),
    ("baidu", "百度", ChannelKind.SEARCH),
    ("oceanengine", "巨量引擎", ChannelKind.FEED),
    ("tencent_ads", "腾讯广告", ChannelKind.FEED),
    ("meta", "Meta", ChannelKind.SOCIAL),
    ("google_ads", "Google Ads", ChannelKind.SEARCH),
)
