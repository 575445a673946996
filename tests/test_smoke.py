from tests.conftest import ApiFactory


async def test_me_as_director(api: ApiFactory) -> None:
    c = await api("director")
    r = await c.get("/api/v1/me")
    assert r.status_code == 200, r.text
    assert r.json()["role"] == "director"
