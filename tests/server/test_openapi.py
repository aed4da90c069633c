"""The committed OpenAPI document is the server's generated schema."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers.server import ROOT

REGENERATE = ".venv/bin/python -m server openapi > docs/openapi.json"


def test_committed_openapi_matches_the_server() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "server", "openapi"],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=True,
    )
    committed = (ROOT / "docs" / "openapi.json").read_bytes()
    assert done.stdout == committed, (
        "docs/openapi.json is not the server's schema any more; if the change is meant, "
        f"regenerate it with `{REGENERATE}` (from the repo root) and commit it"
    )


def test_openapi_holds_the_contract_and_no_test_hooks() -> None:
    doc = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    assert set(doc["paths"]) == {
        "/v1/devices/enroll",
        "/v1/devices/heartbeat",
        "/v1/health",
        "/v1/applications/batch",
        "/v1/decisions",
        "/v1/rulepacks/current",
        "/v1/catalog",
        "/v1/blacklists/{name}/delta",
        "/v1/applications/{application_id}/attachments/{sha256}",
        "/v1/bundles/parts",
        "/v1/bundles/answer",
    }
    upload = doc["paths"]["/v1/applications/{application_id}/attachments/{sha256}"]
    assert {"get", "put"} <= set(upload) and "409" in upload["put"]["responses"]
    batch = doc["paths"]["/v1/applications/batch"]["post"]
    assert batch["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/BatchRequest"
    )
    assert {"200", "401", "403", "413", "422", "429", "503"} <= set(batch["responses"])
    assert "410" in doc["paths"]["/v1/decisions"]["get"]["responses"]
    assert "304" in doc["paths"]["/v1/rulepacks/current"]["get"]["responses"]
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert "_test" not in json.dumps(doc)
