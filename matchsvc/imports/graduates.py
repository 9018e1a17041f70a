"""Importing graduates: keyed by 身份证号, created in bulk, updated only within the importer's reach."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import insert, select, text
from sqlalchemy.orm import selectinload

from .. import clock, pii
from ..audit import chain_rows as chain
from ..audit import record
from ..errors import DomainError
from ..graduates import lookups as disclosures
from ..graduates import profile_history
from ..graduates.service import change_status, initial_history
from ..majors.mapping import Normalizer
from ..models import (
    AuditEvent,
    EmploymentStatus,
    FamilyKind,
    Graduate,
    GraduateHardship,
    StatusChange,
    utcnow,
)
from ..names import name_keys
from ..validators import check_graduation_year, check_student_year, parse_id_number
from .cells import CellError
from .context import MATCH_MAYBE, Lookups, OrgRef
from .engine import Importer
from .graduate_columns import (
    COLUMNS,
    DEFAULTS,
    EXAMPLE,
    PLAIN,
    STUDENT_COLUMNS,
    id_number_cell,
    is_student_row,
)


class GraduateImporter(Importer):
    kind = "graduates"
    label = "毕业生"
    who = ("姓名",)
    columns = COLUMNS
    example: ClassVar[dict[str, str]] = EXAMPLE

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lookups = Lookups(self.session, self.actor)
        self.seen: dict[str, int] = {}
        self.normalizer = Normalizer(self.session)

    def _org(self, number: int, header: str, code: str) -> OrgRef | None:
        org = self.lookups.orgs.get(code)
        if org is None:
            self.report.error(number, header, f"没有区划代码为 {code} 的工会组织")
        return org

    def parse_row(self, number: int, values: dict[str, Any]) -> dict[str, Any] | None:
        student = is_student_row(values)
        parsed = self.parse_cells(number, values, STUDENT_COLUMNS if student else COLUMNS)
        if parsed is not None and parsed.get("graduation_year") is not None:
            born = int(parsed["id_number"][6:10])  # the cell's number is checked: YYYY at 7–10
            try:
                if student:  # 在校生: graduating after this year, at most 7 ahead
                    check_student_year(parsed["graduation_year"], born, clock.today())
                else:
                    check_graduation_year(parsed["graduation_year"], born)
            except DomainError as err:
                self.report.error(number, "毕业年份", err.message)
                parsed = None
        # A repeated ID number is an error even when its first row failed for another reason.
        try:
            digest = pii.keyring().digest(id_number_cell(values.get("身份证号")))
        except CellError:
            return parsed
        if digest in self.seen:
            self.report.error(number, "身份证号", f"与第{self.seen[digest]}行重复")
            return None
        self.seen[digest] = number
        return parsed

    def handle(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        # "held by another org" answers for a number: within the user's allowance, audited
        disclosures.guard(self.session, self.actor, "file")
        elsewhere: list[Graduate] = []
        keyring = pii.keyring()
        valid: list[tuple[int, dict[str, Any], str, OrgRef, OrgRef]] = []
        for number, row in rows:
            digest = keyring.digest(row["id_number"])
            home = self._org(number, "建档单位代码", row["home_org"])
            school = self._org(number, "院校所在地代码", row["school_org"])
            if home is None or school is None:
                continue
            if not self.lookups.in_region(home):
                self.report.error(number, "建档单位代码", f"{home.name}不在您的管辖范围内")
                continue
            self._match_parent_employer(number, row)
            valid.append((number, row, digest, home, school))
        existing = {
            g.id_number_hash: g
            for g in self.session.scalars(
                select(Graduate)
                .where(Graduate.id_number_hash.in_([v[2] for v in valid]))
                .options(selectinload(Graduate.hardships), selectinload(Graduate.home_org))
            )
        }
        new = []
        for number, row, digest, home, school in valid:
            graduate = existing.get(digest)
            if graduate is None:
                new.append((number, row, home, school))
            elif not self.lookups.in_region(self.lookups.org_by_id[graduate.home_org_id]):
                elsewhere.append(graduate)
                self.report.error(
                    number, "身份证号", f"该毕业生已由“{graduate.home_org.name}”建档，您无权修改"
                )
            else:
                self._update(number, row, graduate, home, school)
        if elsewhere:
            disclosures.answered(self.session, self.actor, "id_number", "import", elsewhere)
        if new and self.writing:
            self._create(new)
        elif new:
            for number, row, _, _ in new:
                self.report.change(number, "新建", pii.mask_id_number(row["id_number"]))

    def _match_parent_employer(self, number: int, row: dict[str, Any]) -> None:
        row["parent_employer_id"] = None
        if row.get("parent_employer_uscc"):
            row["parent_employer_id"] = self.lookups.employer_by_code(row["parent_employer_uscc"])
            if row["parent_employer_id"] is not None:
                return
        name = row.get("parent_employer_name")
        if not name:
            return
        employer_id, candidate, score = self.lookups.employer_by_name(name)
        row["parent_employer_id"] = employer_id
        if employer_id is None and candidate is not None and score >= MATCH_MAYBE:
            self.report.warn(
                number,
                "父母工作单位",
                f"“{name}”可能是已登记的“{candidate}”（相似度{score:.0f}），请核对后在档案中确认",
            )

    @staticmethod
    def _statuses(row: dict[str, Any]) -> list[tuple[EmploymentStatus, date]]:
        return initial_history(row.get("status"), row.get("status_since"), row["registered_on"])

    def _values(self, row: dict[str, Any], home: OrgRef, school: OrgRef) -> dict[str, Any]:
        values = {k: row.get(k) if row.get(k) is not None else DEFAULTS.get(k) for k in PLAIN}
        family, hardships = row.get("hardship") or (FamilyKind.WORKER, [])
        values.update(home_org_id=home.id, school_org_id=school.id, family_kind=family)
        values["parent_employer_id"] = row.get("parent_employer_id")
        return values | {"_hardships": hardships}

    def _create(self, new: list[tuple[int, dict[str, Any], OrgRef, OrgRef]]) -> None:
        keyring = pii.keyring()
        now = utcnow()
        payload = []
        majors = self.normalizer
        for number, row, home, school in new:
            idn = parse_id_number(row["id_number"])
            values = self._values(row, home, school)
            values.pop("_hardships")
            id_sealed = keyring.seal(idn.value)
            phone = keyring.seal(row["phone"]) if row.get("phone") else None
            history = self._statuses(row)
            pinyin, initials = name_keys(row["name"])
            payload.append(
                values
                | majors.graduate_fields(row["major_text"], row["degree"])
                | {
                    "name_pinyin": pinyin,
                    "name_initials": initials,
                    "id_number_enc": id_sealed.ciphertext,
                    "id_number_hash": id_sealed.digest,
                    "id_last4_hash": id_sealed.last4_digest,
                    "phone_enc": phone.ciphertext if phone else None,
                    "phone_hash": phone.digest if phone else None,
                    "sex": idn.sex,
                    "birth_year": idn.birth_date.year,
                    "status": history[-1][0],
                    "status_since": history[-1][1],
                    "created_by_id": self.actor.user_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            self.report.change(number, "新建", pii.mask_id_number(idn.value))
        ids = self._insert_graduates(payload)
        hardships, statuses, audits = [], [], []
        for graduate_id, (_, row, home, _) in zip(ids, new, strict=True):
            _, flags = row.get("hardship") or (FamilyKind.WORKER, [])
            hardships += [{"graduate_id": graduate_id, "category": h} for h in flags]
            statuses += [
                {
                    "graduate_id": graduate_id,
                    "status": s,
                    "effective_on": d,
                    "recorded_by_id": self.actor.user_id,
                    "recorded_at": now,
                    "note": "导入",
                }
                for s, d in self._statuses(row)
            ]
            audits.append(
                {
                    "user_id": self.actor.user_id,
                    "actor": self.actor.label,
                    "action": "create",
                    "entity_type": "graduate",
                    "entity_id": graduate_id,
                    "org_id": home.id,
                    "details": {"source": "import"},
                    "at": now,
                }
            )
        chain(self.session, audits)
        for model, rows in (
            (GraduateHardship, hardships),
            (StatusChange, statuses),
            (AuditEvent, audits),
        ):
            if rows:
                self.session.execute(insert(model), rows)

    def _insert_graduates(self, payload: list[dict[str, Any]]) -> list[int]:
        """Insert a chunk of graduates and return their ids in order."""
        if self.session.get_bind().dialect.name == "postgresql":
            # Ids drawn from the sequence first, then a plain executemany: psycopg runs it as one
            # pipelined statement, where a many-row INSERT … RETURNING costs seconds to build.
            ids = list(
                self.session.scalars(
                    text(
                        "SELECT nextval(pg_get_serial_sequence('graduate', 'id')) FROM generate_series(1, :n)"
                    ),
                    {"n": len(payload)},
                )
            )
            self.session.execute(
                insert(Graduate), [p | {"id": i} for p, i in zip(payload, ids, strict=True)]
            )
            return ids
        return list(
            self.session.scalars(
                insert(Graduate).returning(Graduate.id, sort_by_parameter_order=True), payload
            )
        )

    def _update(
        self, number: int, row: dict[str, Any], graduate: Graduate, home: OrgRef, school: OrgRef
    ) -> None:
        values = self._values(row, home, school)
        hardships = values.pop("_hardships")
        present = self.present | {"home_org_id", "school_org_id"}
        if "hardship" in self.present:
            present.add("family_kind")
        if "parent_employer_name" in self.present or "parent_employer_uscc" in self.present:
            present.add("parent_employer_id")
        changed = [k for k, v in values.items() if k in present and getattr(graduate, k) != v]
        phone_changed = "phone" in self.present and row.get("phone") != graduate.phone
        hardship_changed = "hardship" in self.present and set(hardships) != set(
            graduate.hardship_categories
        )
        history = self._statuses(row) if "status" in self.present and row.get("status") else []
        status_changed = bool(history) and (history[-1][0] != graduate.status)
        extra = {"phone": phone_changed, "hardships": hardship_changed, "status": status_changed}
        fields = changed + [k for k, v in extra.items() if v]
        if not fields:
            self.report.unchanged += 1
            return
        self.report.change(number, "更新", pii.mask_id_number(row["id_number"]), fields)
        if not self.writing:
            return
        profile_history.remember(self.session, graduate, changed)
        for k in changed:
            setattr(graduate, k, values[k])
        if phone_changed:
            graduate.set_phone(row.get("phone"))
        if hardship_changed:
            graduate.hardships = [GraduateHardship(category=h) for h in hardships]
        if status_changed:
            status, since = history[-1]
            change_status(self.session, self.actor, graduate, status, since, note="导入")
        record(
            self.session,
            self.actor,
            "update",
            graduate,
            org_id=graduate.home_org_id,
            details={"fields": fields, "source": "import"},
        )
