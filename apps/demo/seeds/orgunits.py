"""Seed step of orgunits: the province and communes (from the administrative units already loaded), the
communes' hamlets, and the designations of especially difficult communes."""

from apps.demo.steps import Context
from apps.orgunits import services as orgunits
from apps.orgunits.models import Designation, OrgUnit
from apps.orgunits.names import hamlet_key


def seed(ctx: Context) -> None:
    ctx.units[ctx.province] = OrgUnit.objects.current().get(level=OrgUnit.Level.PROVINCE, code=ctx.province)
    for code, names in ctx.spec["communes"].items():
        ctx.units[code] = OrgUnit.objects.current().get(level=OrgUnit.Level.COMMUNE, code=code)
        ctx.hamlets[code] = hamlets(ctx.admin, code, names)
    for commune, kind, valid_from, decision_ref in ctx.spec["designations"]:
        designation(ctx.admin, commune, kind, valid_from, decision_ref)


def hamlets(admin, code: str, names: list[tuple[str, str]]) -> list[OrgUnit]:
    """The commune's hamlets (name, qualifier), created when missing, in the order given."""
    commune = OrgUnit.objects.current().get(level=OrgUnit.Level.COMMUNE, code=code)
    result = []
    for name, qualifier in names:
        hamlet = (
            OrgUnit.objects.current()
            .filter(parent=commune, type=OrgUnit.Type.HAMLET, name_folded=hamlet_key(name), qualifier=qualifier)
            .first()
        )
        result.append(hamlet or orgunits.hamlet_create(actor=admin, commune=commune, name=name, qualifier=qualifier))
    return result


def designation(admin, commune: str, kind: str, valid_from, decision_ref: str) -> None:
    unit = OrgUnit.objects.current().get(level=OrgUnit.Level.COMMUNE, code=commune)
    if not Designation.objects.filter(unit=unit, kind=kind, valid_from=valid_from).exists():
        orgunits.designation_record(actor=admin, unit=unit, kind=kind, valid_from=valid_from, decision_ref=decision_ref)
