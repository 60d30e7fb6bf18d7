"""Logging in and out of the web interface, CSRF refusals, and the API left bearer-only (httpx)."""

from __future__ import annotations

import re

import httpx

from tests.support import settings_for_tests
from tests.web.conftest import People
from web import login as web_session

# The tests run outside development: the cookies carry the __Host- prefix.
SESSION_COOKIE = web_session.HOST_ONLY + web_session.SESSION_COOKIE
LOGIN_COOKIE = web_session.HOST_ONLY + web_session.LOGIN_COOKIE

_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def _cookie(answer: httpx.Response, name: str) -> str:
    """A cookie the answer set (read from the header: test cookies are Secure, this is http)."""
    for header in answer.headers.get_list("set-cookie"):
        key, _, rest = header.partition("=")
        if key == name:
            return rest.split(";", 1)[0]
    raise AssertionError(f"{name} not set: {answer.headers.get_list('set-cookie')}")


async def _login_form(web: httpx.AsyncClient) -> tuple[str, str]:
    """The login page's form token and the cookie it must match."""
    answer = await web.get("/web/login")
    assert answer.status_code == 200
    found = _CSRF.search(answer.text)
    assert found is not None
    return found.group(1), _cookie(answer, LOGIN_COOKIE)


async def login(web: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    """Post the login form as a browser would."""
    token, cookie = await _login_form(web)
    return await web.post(
        "/web/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers={"cookie": f"{LOGIN_COOKIE}={cookie}"},
    )


async def signed_in(web: httpx.AsyncClient, username: str, password: str) -> tuple[str, str]:
    """The session cookie header and the CSRF token of a logged-in user."""
    answer = await login(web, username, password)
    assert answer.status_code == 303, answer.text
    cookie = f"{SESSION_COOKIE}={_cookie(answer, SESSION_COOKIE)}"
    page = await web.get("/web/", headers={"cookie": cookie})  # its logout form has the token
    found = _CSRF.search(page.text)
    assert found is not None
    return cookie, found.group(1)


async def test_a_wrong_password_shows_the_login_form_again_in_polish(
    web: httpx.AsyncClient, people: People
) -> None:
    answer = await login(web, people.caseworker, "not-the-password")
    assert answer.status_code == 401
    assert "Nieprawidłowa nazwa użytkownika lub hasło." in answer.text
    assert f'value="{people.caseworker}"' in answer.text  # the username is kept
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")


async def test_the_session_cookie_is_host_only_httponly_lax_and_secure(
    web: httpx.AsyncClient, people: People
) -> None:
    answer = await login(web, people.caseworker, people.password)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/web/"
    for name in (SESSION_COOKIE, LOGIN_COOKIE):  # the login cookie is set, then removed
        header = next(h for h in answer.headers.get_list("set-cookie") if h.startswith(name))
        attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
        # What a browser requires of a __Host- cookie: Secure, path /, and no Domain.
        assert {"secure", "path"} <= attributes and "domain" not in attributes
        assert "path=/;" in header.lower() + ";"
    session = next(h for h in answer.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "httponly" in session.lower() and "samesite=lax" in session.lower()


def test_in_development_over_plain_http_the_cookies_have_no_prefix_and_are_not_secure() -> None:
    development = settings_for_tests(environment="development")
    assert web_session.cookie_name("pathways_session", development) == "pathways_session"
    production = settings_for_tests(environment="production")
    assert web_session.cookie_name("pathways_session", production) == SESSION_COOKIE


async def test_pages_need_a_session_and_send_strangers_to_the_login(
    web: httpx.AsyncClient,
) -> None:
    answer = await web.get("/web/participants")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/web/login?next=/web/participants"


async def test_a_post_without_the_sessions_csrf_token_is_refused(
    web: httpx.AsyncClient, people: People
) -> None:
    cookie, token = await signed_in(web, people.caseworker, people.password)
    body = {"first_name": "Jan", "last_name": "Bez-Tokenu", "birth_date": "1970-01-01"}
    missing = await web.post("/web/participants", data=body, headers={"cookie": cookie})
    forged = await web.post(
        "/web/participants", data={**body, "csrf_token": "0" * 64}, headers={"cookie": cookie}
    )
    assert missing.status_code == forged.status_code == 403
    assert "Formularz wygasł" in missing.text
    # Another session's token is no good either.
    _, other_token = await signed_in(web, people.supervisor, people.password)
    assert other_token != token
    crossed = await web.post(
        "/web/participants", data={**body, "csrf_token": other_token}, headers={"cookie": cookie}
    )
    assert crossed.status_code == 403
    accepted = await web.post(
        "/web/participants", data={**body, "csrf_token": token}, headers={"cookie": cookie}
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"].startswith("/web/participants/")


async def test_the_login_form_needs_its_own_token(web: httpx.AsyncClient, people: People) -> None:
    answer = await web.post(
        "/web/login", data={"username": people.caseworker, "password": people.password}
    )
    assert answer.status_code == 403
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")


async def test_the_api_does_not_accept_the_web_session_cookie(
    web: httpx.AsyncClient, people: People
) -> None:
    cookie, _ = await signed_in(web, people.caseworker, people.password)
    answer = await web.get("/api/v1/participants", headers={"cookie": cookie})
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "not_authenticated"


async def test_logging_out_needs_the_token_and_ends_the_session(
    web: httpx.AsyncClient, people: People
) -> None:
    cookie, token = await signed_in(web, people.caseworker, people.password)
    refused = await web.post("/web/logout", headers={"cookie": cookie})
    assert refused.status_code == 403
    answer = await web.post("/web/logout", data={"csrf_token": token}, headers={"cookie": cookie})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/web/login?bye=1"
    cleared = next(h for h in answer.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "max-age=0" in cleared.lower() or "expires=" in cleared.lower()
    # The token itself is given back: a copy of the old cookie opens nothing any more.
    again = await web.get("/web/", headers={"cookie": cookie}, follow_redirects=False)
    assert again.status_code in (303, 401), again.text
    assert "/web/login" in again.headers.get("location", "/web/login")


async def test_repeated_wrong_passwords_are_throttled_as_in_the_api(
    web: httpx.AsyncClient, people: People
) -> None:
    for _ in range(5):  # PATHWAYS_LOGIN_ATTEMPTS
        assert (await login(web, people.stranger, "not-the-password")).status_code == 401
    answer = await login(web, people.stranger, people.password)
    assert answer.status_code == 429
    assert "Zbyt wiele nieudanych prób logowania" in answer.text
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")
