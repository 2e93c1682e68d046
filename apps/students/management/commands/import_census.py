from django.core.management.base import CommandError

from apps.orgunits.models import OrgUnit
from apps.orgunits.names import hamlet_key
from apps.students.census import apply_census, plan_census
from apps.students.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Nhập kết quả điều tra phổ cập của một xã (.xlsx, .xls, .ods, .csv): mọi trẻ 0–18 tuổi theo thôn, đi học "
        "hay không. Cả tệp hoặc không gì. Mã thoát 1 khi có lỗi, 3 khi cần người quyết định."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--commune", required=True, help="mã xã, phường, đặc khu hiện hành (5 chữ số)")
        parser.add_argument("--hamlet", help="tên thôn, khi tệp không có cột thôn")

    def commune(self, options) -> OrgUnit:
        commune = (
            OrgUnit.objects.current()
            .filter(level=OrgUnit.Level.COMMUNE, code=options["commune"].zfill(5))
            .select_related("parent")
            .first()
        )
        if commune is None:
            raise CommandError(f"Không có xã, phường hiện hành mang mã {options['commune']}.")
        return commune

    def province(self, options):
        return self.commune(options).parent

    def plan(self, *, actor, path, year, decisions, options):
        commune = self.commune(options)
        hamlet = None
        if name := options.get("hamlet"):
            hamlet = (
                OrgUnit.objects.current()
                .filter(parent=commune, type=OrgUnit.Type.HAMLET, name_folded=hamlet_key(name))
                .first()
            )
            if hamlet is None:
                raise CommandError(f"Không có thôn “{name}” trong {commune.display_name}.")
        return plan_census(
            actor=actor,
            filename=path.name,
            data=path.read_bytes(),
            year=year,
            commune=commune,
            hamlet=hamlet,
            decisions=decisions,
        )

    def apply(self, *, actor, plan, only_valid):
        return apply_census(actor=actor, plan=plan, only_valid=only_valid)

    def done(self, result) -> str:
        return (
            f"Đã thêm {result.created_children} trẻ, {result.created_records} phiếu điều tra; cập nhật "
            f"{result.updated}."
        )
