import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_coordinator_is_forced_through_2fa_when_the_setting_is_on(client, coordinator, settings):
    settings.MUTUALIS_REQUIRE_2FA_FOR_COORDINATORS = True
    client.force_login(coordinator)
    response = client.get("/tableau-de-bord/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/comptes/double-authentification/"
    )
    page = client.get(response["Location"])
    assert page.context["enrolling"]
    device = TOTPDevice.objects.get(user=coordinator)
    wrong = client.post(
        "/comptes/double-authentification/", {"token": "000000", "next": "/tableau-de-bord/"}
    )
    assert "Code incorrect" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp throttles the attempt right after a failure
    ok = client.post(
        "/comptes/double-authentification/", {"token": _code(device), "next": "/tableau-de-bord/"}
    )
    assert ok["Location"] == "/tableau-de-bord/"
    assert client.get("/tableau-de-bord/").status_code == 200


@pytest.mark.django_db
def test_2fa_is_not_forced_in_the_demo(client, coordinator, settings):
    settings.MUTUALIS_REQUIRE_2FA_FOR_COORDINATORS = False
    client.force_login(coordinator)
    assert client.get("/tableau-de-bord/").status_code == 200


@pytest.mark.django_db
def test_enrolled_staff_must_give_a_code_at_each_sign_in(client, referent, settings):
    settings.MUTUALIS_REQUIRE_2FA_FOR_COORDINATORS = False
    TOTPDevice.objects.create(user=referent, name="x", confirmed=True)
    client.force_login(referent)
    assert client.get("/tableau-de-bord/").status_code == 302
