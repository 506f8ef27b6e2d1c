"""What importing the fake loads: heavy libraries wait until a feature needs them.

Each check runs a fresh interpreter, since this one has imported everything already.
No timings here: the modules a feature loads are the stable part of what it costs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

HEAVY = ("jwt", "cryptography", "httpx", "rich", "click")


def loaded_after(code: str) -> set[str]:
    """The top-level packages of ``HEAVY`` a fresh interpreter has loaded after running ``code``."""
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}} & set({list(HEAVY)!r}))))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_importing_the_fake_loads_no_jwt_crypto_or_http_client() -> None:
    assert loaded_after("from fake_dinero.fake import FakeDinero") == set()


def test_a_legacy_login_and_a_call_load_no_http_client() -> None:
    loaded = loaded_after(
        """
        import json
        from fake_dinero.fake import FakeDinero
        from fake_dinero.http import ApiRequest
        from fake_dinero.world import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, World

        fake = FakeDinero(World.with_demo())
        form = (
            f"grant_type=password&username={DEFAULT_API_KEY}&password={DEFAULT_API_KEY}"
            f"&client_id={DEFAULT_CLIENT_ID}&client_secret={DEFAULT_CLIENT_SECRET}"
        )
        login = ApiRequest("POST", "/dineroapi/oauth/token", body=form.encode())
        token = json.loads(fake.handle(login).body)["access_token"]
        organization = next(iter(fake.world.organizations))
        contacts = ApiRequest("GET", f"/v1/{organization}/contacts", headers={"authorization": f"Bearer {token}"})
        answer = fake.handle(contacts)
        assert answer.status == 200, answer.body
        """
    )
    assert not loaded & {"httpx", "rich", "click"}


def test_the_in_process_door_loads_no_jwt_or_crypto() -> None:
    assert not loaded_after("import fake_dinero.inprocess") & {"jwt", "cryptography"}


def test_dinero_models_are_built_on_first_use() -> None:
    loaded = loaded_after(
        """
        from fake_dinero.fake import FakeDinero
        from fake_dinero.resources.contacts import ContactReadModel

        assert not ContactReadModel.__pydantic_complete__
        assert "ContactGuid" in ContactReadModel.model_fields
        """
    )
    assert loaded == set()
