"""Hostile input in a real Chromium, and the Content-Security-Policy that backs escaping up.

Two defences, each proven where only a browser can: the pages escape and
sanitise every text (so no payload becomes markup), and the policy would
stop a script that slipped through anyway (so an inline script, an event
handler or a javascript: URL does not run). Every page the site has is
loaded under the policy and must break none of its rules: the site's own
JavaScript is all in static files.
"""

import datetime

import pytest

from speakers.models import Speaker
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    UserFactory,
    venue_time,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Recorded in every document before its own scripts run (Playwright's init
# scripts are not subject to the page's policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.effectiveDirective + " " + (event.blockedURI || "inline"));
});
"""
# Each one tries to open a dialog or to set window.__pwned, in markup, in an
# attribute, in a URL, in Markdown or in a template; some only break markup.
PAYLOADS = [
    "<script>window.__pwned=1;alert(1)</script>",
    '"><img src=x onerror="window.__pwned=2;alert(2)">',
    "'><svg onload=window.__pwned=3;alert(3)><circle r=9></svg>",
    "<details open ontoggle=window.__pwned=4;alert(4)>x</details>",
    "<input autofocus onfocus=window.__pwned=5;alert(5)>",
    "[click me](javascript:window.__pwned=6;alert(6))",
    '<a href="javascript:alert(7)" id=x7>click</a>',
    '<iframe srcdoc="<script>parent.__pwned=8</script>"></iframe>',
    "</title></textarea><script>alert(9)</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(10)>",
    '<a href="data:text/html,<script>alert(11)</script>">data link</a>',
    "&lt;script&gt;alert(12)&lt;/script&gt; &amp; &#60;b&#62;",
    "\u202egnp.exe <b>right-to-left</b> \u2066isolate",
    "<style>body{display:none}</style><b><i>unclosed <p",
    "{{ 7|add:7 }} {% now 'Y' %} ${7*7} #{7*7}",
    "<meta http-equiv=refresh content='0;url=javascript:alert(13)'>",
    "<base href=//evil.example/><object data=//evil.example/x.swf>",
    "<form action=javascript:alert(14)><button>go</button></form>",
    "javascript:alert(15)//",
    "';alert(16);//\\';alert(17);//</script>",
]
HOSTILE_URL = "javascript:window.__pwned=18;alert(18)"


@pytest.fixture
def browser_context_options():
    """A viewer in another zone than the venue's, so the pages' zone switch is offered."""
    return {"timezone_id": "America/New_York"}


def parse_policy(header):
    parts = [part.split() for part in header.split(";") if part.strip()]
    policy = {name: sources for name, *sources in parts}
    assert len(policy) == len(parts), f"a directive is repeated in {header!r}"
    return policy


def watch(page):
    """Record the policy's violations and every dialog; answer /favicon.ico without a 404."""
    dialogs = []

    def record_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.add_init_script(RECORD_VIOLATIONS)
    page.on("dialog", record_dialog)
    # The admin's pages name no icon, so Chromium asks for /favicon.ico, which 404s.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    return dialogs


def visit(page, path, *, status=200):
    """Load ``path`` (with its images and scripts) and give back the policy's violations on it."""
    response = page.goto(path)
    assert (response.status, page.url.endswith(path)) == (status, True), path  # not redirected
    assert parse_policy(response.headers["content-security-policy"]) == EXPECTED_POLICY, path
    return page.evaluate("window.__cspViolations")


def sign_in(page, form_path, username):
    page.goto(form_path)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state("networkidle")


# Every page under the policy ---------------------------------------------------


def test_public_pages_break_no_rule_of_the_policy_and_their_scripts_work(page, kvm_forum):
    watch(page)
    violations = {}

    for path in [
        "/",
        "/kvm-forum-2012/",
        "/kvm-forum-2012/schedule/",
        "/kvm-forum-2012/schedule/?day=2012-11-08&q=block",
        "/kvm-forum-2012/talks/a-block-layer-overview/",
        "/kvm-forum-2012/speakers/",
        "/kvm-forum-2012/speakers/orit-wasserman/",
        "/accounts/login/",
        "/accounts/password/reset/",
    ]:
        violations[path] = visit(page, path)
    # event.js, a static file, still runs: the zone switch and the stars work.
    page.goto("/kvm-forum-2012/schedule/?day=2012-11-08")
    first_time = page.locator(".talk-card time").first
    assert first_time.inner_text() == "09:15"
    page.get_by_role("button", name="Show in my time zone (America/New_York)").click()
    page.get_by_role("button", name="Star “A Block Layer Overview”").click()

    assert {where: found for where, found in violations.items() if found} == {}
    assert page.locator("[data-star-count]").inner_text() == "1"
    assert first_time.inner_text() == "03:15"
    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []


def test_error_pages_break_no_rule_of_the_policy(page, kvm_forum):
    watch(page)

    violations = [
        visit(page, "/no-such-event/", status=404),
        visit(page, "/accounts/invitation/?token=forged", status=400),
    ]

    assert violations == [[], []]


def test_speaker_account_pages_break_no_rule_of_the_policy(page, db):
    watch(page)
    speaker = SpeakerFactory(name="Avi Kivity", slug="avi-kivity", user=UserFactory(username="avi"))
    TalkFactory(event=EventFactory(slug="kvm-forum-2012"), title="Keynote", speakers=[speaker])
    sign_in(page, "/accounts/login/", "avi")
    violations = {"after signing in": page.evaluate("window.__cspViolations")}

    for path in [
        "/accounts/profile/",
        "/accounts/password/change/",
        "/kvm-forum-2012/speakers/avi-kivity/",
    ]:
        violations[path] = visit(page, path)
    page.goto("/accounts/profile/")
    page.locator("#id_bio").fill("Works on the *QEMU* memory API.")
    page.get_by_role("button", name="Preview").click()
    violations["preview"] = page.evaluate("window.__cspViolations")

    assert page.locator("h1").inner_text() == "My speaker profile"
    assert page.locator(".speaker-bio em").inner_text() == "QEMU"
    assert {where: found for where, found in violations.items() if found} == {}
    assert page.console_errors == []


def test_admin_pages_and_the_board_break_no_rule_of_the_policy(page, db):
    watch(page)
    UserFactory(username="root", is_staff=True, is_superuser=True)
    event = EventFactory(slug="kvm-forum-2012", name="KVM Forum")
    room = RoomFactory(event=event, name="Hall")
    track = TrackFactory(event=event, name="Kernel")
    speaker = SpeakerFactory(name="Avi Kivity", user=UserFactory(username="avi"))
    talk = TalkFactory(
        event=event,
        title="Keynote",
        room=room,
        track=track,
        start=venue_time(event, 2012, 11, 7, 10, 0),
        end=venue_time(event, 2012, 11, 7, 11, 0),
        speakers=[speaker],
    )
    sign_in(page, "/admin/login/", "root")
    models = [
        "conference/event",
        "conference/room",
        "conference/track",
        "schedule/talk",
        "speakers/speaker",
        "auth/user",
        "auth/group",
    ]
    objects = {
        "conference/event": event.pk,
        "conference/room": room.pk,
        "conference/track": track.pk,
        "schedule/talk": talk.pk,
        "speakers/speaker": speaker.pk,
        "auth/user": speaker.user.pk,
    }
    paths = [
        "/admin/",
        *[f"/admin/{model}/{page}" for model in models for page in ["", "add/"]],
        *[f"/admin/{model}/{pk}/change/" for model, pk in objects.items()],
        f"/admin/speakers/speaker/{speaker.pk}/history/",
        f"/admin/auth/user/{speaker.user.pk}/password/",
        "/admin/axes/accessattempt/",
        f"/admin/schedule/talk/board/{event.pk}/2012-11-07/",
    ]
    violations = {path: visit(page, path) for path in paths}
    # The admin's own scripts still run: a name fills in the slug, inlines grow.
    page.goto("/admin/conference/event/add/")
    page.locator("#id_name").fill("Open Source Summit")
    page.get_by_role("button", name="Add another Room").click()
    violations["event form"] = page.evaluate("window.__cspViolations")

    assert {where: found for where, found in violations.items() if found} == {}
    assert page.locator("#id_slug").input_value() == "open-source-summit"
    assert page.locator("#id_rooms-0-name").is_visible()
    assert page.console_errors == []


# The policy bites ------------------------------------------------------------------

# Three ways to run script that escaping exists to prevent, and two foreign loads.
# Each script that runs adds its number to window.__pwned.
INJECT = """
() => {
  const ran = "(window.__pwned = window.__pwned || []).push";
  document.body.insertAdjacentHTML("beforeend", `<img src="data:," onerror="${ran}(1)">`);
  const inline = document.createElement("script");
  inline.textContent = `${ran}(2)`;
  document.body.append(inline);
  const link = document.createElement("a");
  link.href = `javascript:${ran}(3)`;
  document.body.append(link);
  link.click();
  const foreign = document.createElement("script");
  foreign.src = "https://scripts.example/steal.js";
  document.head.append(foreign);
  const plugin = document.createElement("object");
  plugin.data = "/static/favicon.svg";
  document.body.append(plugin);
}
"""


def inject(page):
    """Run INJECT on the page; give back what ran and what the policy refused."""
    page.evaluate(INJECT)
    # Polled from here: Playwright's wait_for_function evaluates its predicate
    # with eval() in the page, which this very policy refuses.
    done = "window.__cspViolations.length >= 5 || (window.__pwned || []).length >= 3"
    for _ in range(50):
        if page.evaluate(done):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(200)  # for anything later still
    return page.evaluate("window.__pwned"), page.evaluate("window.__cspViolations")


def test_policy_refuses_injected_handlers_inline_scripts_and_javascript_urls(
    page, live_server, kvm_forum
):
    watch(page)
    response = page.goto("/kvm-forum-2012/talks/a-block-layer-overview/")

    pwned, violations = inject(page)

    assert parse_policy(response.headers["content-security-policy"]) == EXPECTED_POLICY
    assert pwned is None
    assert sorted(violations) == [
        f"object-src {live_server.url}/static/favicon.svg",
        "script-src-attr inline",
        "script-src-elem https://scripts.example/steal.js",
        "script-src-elem inline",
        "script-src-elem inline",
    ]
    # Chromium logs each as a console error too, which fails every test that
    # asserts page.console_errors == [] (its wording changes between versions).
    assert len(page.console_errors) == 5
    assert all("Content Security Policy" in message for message in page.console_errors)


def test_same_injection_runs_where_the_policy_is_bypassed(chromium_browser, live_server, kvm_forum):
    """The control: without the policy, the very same injection runs, so the test above bites."""
    context = chromium_browser.new_context(
        base_url=live_server.url, bypass_csp=True, service_workers="block"
    )
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto("/kvm-forum-2012/talks/a-block-layer-overview/")

    pwned, violations = inject(page)

    context.close()
    assert sorted(pwned) == [1, 2, 3]
    assert violations == []


# Hostile text in every field, in a real browser ----------------------------------


@pytest.fixture
def hostile_event(db):
    """One event whose every text field, and every room, track, talk and speaker, is a payload."""
    event = EventFactory(
        slug="hostile",
        name=PAYLOADS[0],
        tagline=PAYLOADS[1],
        location=PAYLOADS[2],
        description="\n\n".join(PAYLOADS),
        website=HOSTILE_URL,
    )
    start = venue_time(event, 2012, 11, 7, 9, 0)
    for number, payload in enumerate(PAYLOADS):
        speaker = SpeakerFactory(
            slug=f"hostile-speaker-{number}",
            name=payload,
            affiliation=payload,
            bio=f"{payload}\n\n{PAYLOADS[(number + 1) % len(PAYLOADS)]}",
            website=HOSTILE_URL,
        )
        speaker.links.create(label=payload[:50], url=HOSTILE_URL)
        speaker.links.create(label=payload[-50:], url="https://blog.example/")
        TalkFactory(
            event=event,
            slug=f"hostile-{number}",
            title=payload,
            subtitle=payload,
            abstract=f"{payload}\n\n*{payload}*",
            room=RoomFactory(event=event, slug=f"room-{number}", name=payload),
            track=TrackFactory(event=event, slug=f"track-{number}", name=payload),
            source_url=HOSTILE_URL,
            start=start + datetime.timedelta(minutes=30 * number),
            end=start + datetime.timedelta(minutes=30 * (number + 1)),
            speakers=[speaker],
        )
    return event


# What in a document could run script or change where it loads from; the
# site's own tags that look so (the admin's inline SVG icons) are passed in.
ACTIVE_CONTENT = """
(allowed) => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith("on")) {
        found.push(`${attribute.name} on <${element.localName}>`);
      }
    }
    const risky = ["iframe", "frame", "object", "embed", "base", "svg", "math", "style"];
    if (risky.includes(element.localName) && !allowed.includes(element.localName)) {
      found.push(`<${element.localName}>`);
    }
    if (element.localName === "meta" && element.httpEquiv) {
      found.push("<meta http-equiv>");
    }
    const url = element.getAttribute("href") || element.getAttribute("src") || "";
    if (/^\\s*(javascript|data|vbscript):/i.test(url)) {
      found.push(`${url} on <${element.localName}>`);
    }
    if (element.localName === "script" && !element.hasAttribute("src")) {
      found.push("inline <script>");
    } else if (element.localName === "script" && new URL(element.src).origin !== location.origin) {
      found.push(`foreign <script> ${element.src}`);
    }
  }
  return found;
}
"""


def test_hostile_text_opens_no_dialog_and_runs_nothing_on_any_public_page(page, hostile_event):
    dialogs = watch(page)
    talks = [f"/hostile/talks/hostile-{number}/" for number in range(len(PAYLOADS))]
    speakers = [f"/hostile/speakers/hostile-speaker-{number}/" for number in range(len(PAYLOADS))]
    problems = {}

    for path in [
        "/",
        "/hostile/",
        "/hostile/schedule/",
        "/hostile/schedule/?day=2012-11-07",
        "/hostile/schedule/?q=script",
        "/hostile/speakers/",
        *talks,
        *speakers,
    ]:
        visit(page, path)
        # Whatever the page offers to click: the zone switch, and starring a talk.
        for toggle in page.locator("[data-zone-toggle]:visible").all():
            toggle.click()
        star = page.locator("[data-star]:visible").first
        if star.count():
            star.click()
        found = {
            "active content": page.evaluate(ACTIVE_CONTENT, []),
            "violations": page.evaluate("window.__cspViolations"),
            "pwned": page.evaluate("window.__pwned"),
        }
        if any(found.values()):
            problems[path] = found

    assert problems == {}
    assert dialogs == []
    assert page.console_errors == []


def test_hostile_text_reads_as_the_text_it_is(page, hostile_event):
    watch(page)

    for number, payload in enumerate(PAYLOADS):
        page.goto(f"/hostile/talks/hostile-{number}/")

        assert page.title().startswith(f"{payload} · {PAYLOADS[0]}")
        assert page.locator(".talk-facts dd").nth(1).text_content().startswith(payload)
    page.goto("/hostile/speakers/hostile-speaker-3/")
    assert page.locator("h1").text_content() == Speaker.objects.get(slug="hostile-speaker-3").name


def test_hostile_text_is_inert_on_the_board_and_in_the_admin_lists(page, organiser, hostile_event):
    dialogs = watch(page)
    sign_in(page, "/admin/login/", "organiser")
    problems = {}

    for path in [
        f"/admin/schedule/talk/board/{hostile_event.pk}/2012-11-07/",
        "/admin/schedule/talk/",
        "/admin/speakers/speaker/",
        "/admin/conference/room/",
        "/admin/conference/track/",
        f"/admin/conference/event/{hostile_event.pk}/change/",
    ]:
        violations = visit(page, path)
        found = {
            "active content": page.evaluate(ACTIVE_CONTENT, ["svg"]),
            "violations": violations,
            "pwned": page.evaluate("window.__pwned"),
        }
        if any(found.values()):
            problems[path] = found

    assert problems == {}
    assert dialogs == []
    assert page.console_errors == []
