"""The criteria sets shipped with the system (loaded by a data migration): the 2018 structure — five standards with
their titles and the number of criteria of each, as public summaries give them — and an empty set for the 2024
amendments. Every set ships unverified: no criterion or indicator text is known here, so every text is empty
(flagged on the pages) until a system administrator loads the official texts (import kind `standards.criteria`)
or types them, and marks the set verified."""

SECONDARY_TITLES = [
    "Tổ chức và quản lý nhà trường",
    "Cán bộ quản lý, giáo viên, nhân viên và học sinh",
    "Cơ sở vật chất và thiết bị dạy học",
    "Quan hệ giữa nhà trường, gia đình và xã hội",
    "Hoạt động giáo dục và kết quả giáo dục",
]
PRESCHOOL_TITLES = [
    "Tổ chức và quản lý nhà trường",
    "Cán bộ quản lý, giáo viên, nhân viên và trẻ",
    "Cơ sở vật chất và thiết bị dạy học",
    "Quan hệ giữa nhà trường, gia đình và xã hội",
    "Hoạt động và kết quả nuôi dưỡng, chăm sóc và giáo dục trẻ",
]
RULE = {"1": 2, "2": 3}  # national standard level → assessment level needed

SETS = [
    # code, name, circular, kind, effective from, titles, criteria per standard
    (
        "tt19-2018",
        "Tiêu chuẩn đánh giá trường mầm non (Thông tư 19/2018)",
        "Thông tư 19/2018/TT-BGDĐT",
        "preschool",
        "2018-10-08",
        PRESCHOOL_TITLES,
        [10, 3, 6, 2, 4],
    ),
    (
        "tt17-2018",
        "Tiêu chuẩn đánh giá trường tiểu học (Thông tư 17/2018)",
        "Thông tư 17/2018/TT-BGDĐT",
        "primary",
        "2018-10-08",
        SECONDARY_TITLES,
        [10, 4, 6, 2, 5],
    ),
    (
        "tt18-2018",
        "Tiêu chuẩn đánh giá trường trung học (Thông tư 18/2018)",
        "Thông tư 18/2018/TT-BGDĐT",
        "secondary",
        "2018-10-08",
        SECONDARY_TITLES,
        [10, 4, 6, 2, 6],
    ),
    # Circular 22/2024's amendments: the public sources disagree on the new texts; nothing is shipped but the set.
    (
        "tt22-2024",
        "Sửa đổi theo Thông tư 22/2024 (chưa có nội dung)",
        "Thông tư 22/2024/TT-BGDĐT",
        "secondary",
        None,
        [],
        [],
    ),
]
