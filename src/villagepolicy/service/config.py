"""The service's settings: what `villagepolicy serve` passes to each worker process (as JSON)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

ENV_CONFIG = "VILLAGEPOLICY_SERVICE_CONFIG"


class ServiceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    packs: str | None = Field(default=None, description="folder with rules/ and jurisdictions/ beside the shipped")
    max_body: int = Field(default=8 * 2**20, ge=1, description="largest JSON request body, bytes (else 413)")
    max_upload: int = Field(default=64 * 2**20, ge=1, description="largest roster upload, bytes (else 413)")
    max_extracted: int = Field(
        default=512 * 2**20, ge=1, description="most bytes a zipped roster may hold once extracted (else 413)"
    )
    timeout: float = Field(default=30.0, gt=0, description="seconds a request may take (else 504)")
    job_threshold: int = Field(
        default=2000, ge=0, description="rosters with more people than this are checked as a background job (202)"
    )
    job_keep_seconds: float = Field(default=3600.0, gt=0, description="how long a finished job's report is kept")
    jobs_dir: str | None = Field(default=None, description="where job state lives (shared by worker processes)")
    decision_log: str | None = Field(default=None, description="append one JSON line per decision to this file")
    tmp_dir: str | None = Field(default=None, description="parent of the private upload folders (default: $TMPDIR)")
