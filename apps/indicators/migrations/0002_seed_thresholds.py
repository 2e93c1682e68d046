"""The universal-education thresholds of Decree 20/2014 (regulations.md), as data; rows it marks "(check)" are
flagged unverified. Reversible."""

from decimal import Decimal

from django.db import migrations

D = Decimal
SOURCE = "NĐ 20/2014/NĐ-CP; TT 07/2016/TT-BGDĐT"
# level, criterion, label, value, ĐBKK value, verified
ROWS = [
    ("preschool_5", "kinder5_attend", "Trẻ 5 tuổi ra lớp", D(95), D(90), True),
    ("preschool_5", "preschool_programme_5", "Trẻ 5 tuổi hoàn thành chương trình GDMN (xác nhận)", D(85), D(80), True),
    ("preschool_5", "conditions_preschool", "Đội ngũ, cơ sở vật chất GDMN (xác nhận)", D(100), None, False),
    ("primary_1", "grade1_at_6", "Trẻ 6 tuổi vào lớp 1", D(90), None, True),
    ("primary_1", "completion_primary_14", "Trẻ 14 tuổi hoàn thành chương trình tiểu học", D(80), D(70), True),
    ("primary_1", "conditions_primary", "Đội ngũ, cơ sở vật chất tiểu học (xác nhận)", D(100), None, False),
    ("primary_2", "grade1_at_6", "Trẻ 6 tuổi vào lớp 1", D(95), None, True),
    ("primary_2", "completion_primary_11", "Trẻ 11 tuổi hoàn thành chương trình tiểu học", D(80), D(70), True),
    ("primary_3", "grade1_at_6", "Trẻ 6 tuổi vào lớp 1", D(98), None, True),
    ("primary_3", "completion_primary_11", "Trẻ 11 tuổi hoàn thành chương trình tiểu học", D(90), D(80), True),
    ("lower_1", "literacy_1", "Đạt chuẩn xóa mù chữ mức độ 1 (xác nhận)", D(100), None, True),
    ("lower_1", "thcs_diploma_15_18", "Thanh thiếu niên 15–18 tuổi có bằng tốt nghiệp THCS", D(80), D(70), True),
    ("lower_1", "conditions_lower", "Đội ngũ, cơ sở vật chất THCS (xác nhận)", D(100), None, False),
    ("lower_2", "thcs_diploma_15_18", "Thanh thiếu niên 15–18 tuổi có bằng tốt nghiệp THCS", D(90), D(80), False),
    ("lower_3", "thcs_diploma_15_18", "Thanh thiếu niên 15–18 tuổi có bằng tốt nghiệp THCS", D(95), D(90), True),
    ("lower_3", "upper_15_18", "Thanh thiếu niên 15–18 tuổi đang học THPT, GDTX, học nghề", D(80), D(70), True),
]


def seed(apps, schema_editor):
    Threshold = apps.get_model("indicators", "Threshold")
    for level, criterion, label, value, dbkk, verified in ROWS:
        Threshold.objects.get_or_create(
            level=level,
            criterion=criterion,
            defaults={"label": label, "value": value, "dbkk_value": dbkk, "verified": verified, "source": SOURCE},
        )


def unseed(apps, schema_editor):
    Threshold = apps.get_model("indicators", "Threshold")
    for level, criterion, *_rest in ROWS:
        Threshold.objects.filter(level=level, criterion=criterion).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_count_tables_snapshots_universal")]
    operations = [migrations.RunPython(seed, unseed)]
