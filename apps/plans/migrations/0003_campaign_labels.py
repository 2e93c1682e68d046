"""The funds' free-text campaign labels (`Donation.campaign`, `Pledge.campaign`) become archived campaigns: one per
distinct label and unit (the commune the fund is kept in), with the label's text kept as written; each donation and
pledge then links to its campaign. The funds' own text is left untouched. Run again, it links only what is not
linked yet; reversed, it removes the links and the campaigns it made."""

from django.db import migrations


def _unit_of(fund):
    """The commune a fund is kept in: its own, its school's location, its organisation's unit or school's."""
    if fund.org_unit_id:
        return fund.org_unit_id
    if fund.school_id:
        return fund.school.location_id
    organisation = fund.organisation
    return organisation.org_unit_id or organisation.school.location_id


def labels_to_campaigns(apps, schema_editor=None) -> int:
    """Make the archived campaigns and the links; returns how many rows were linked."""
    Campaign = apps.get_model("plans", "Campaign")
    Donation = apps.get_model("funds", "Donation")
    Pledge = apps.get_model("funds", "Pledge")
    DonationCampaign = apps.get_model("plans", "DonationCampaign")
    PledgeCampaign = apps.get_model("plans", "PledgeCampaign")
    related = ("fund__school", "fund__organisation__school")
    sources = (
        (Donation.objects.filter(campaign_link__isnull=True).exclude(campaign=""), "received_on", DonationCampaign),
        (Pledge.objects.filter(campaign_link__isnull=True).exclude(campaign=""), "made_on", PledgeCampaign),
    )
    rows = []  # (row, its day, link model, (label, unit))
    for queryset, day, link in sources:
        for row in queryset.select_related(*related).order_by("pk"):
            rows.append((row, getattr(row, day), link, (row.campaign, _unit_of(row.fund))))
    found = {
        (c.label, c.org_unit_id): c
        for c in Campaign.objects.filter(status="archived").exclude(label="")
    }
    for key in {key for *_rest, key in rows} - found.keys():
        days = [day for _row, day, _link, k in rows if k == key]
        label, unit = key
        found[key] = Campaign.objects.create(
            kind="fundraising",
            title=label,
            label=label,
            org_unit_id=unit,
            receiving_unit_id=unit,
            starts_on=min(days),
            ends_on=max(days),
            status="archived",
        )
    for row, _day, link, key in rows:
        if link is DonationCampaign:
            link.objects.create(donation=row, campaign=found[key])
        else:
            link.objects.create(pledge=row, campaign=found[key])
    return len(rows)


def campaigns_to_labels(apps, schema_editor=None) -> None:
    Campaign = apps.get_model("plans", "Campaign")
    made = Campaign.objects.filter(status="archived").exclude(label="")
    apps.get_model("plans", "DonationCampaign").objects.filter(campaign__in=made).delete()
    apps.get_model("plans", "PledgeCampaign").objects.filter(campaign__in=made).delete()
    made.filter(reports__isnull=True, campaign_tasks__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_campaigns")]

    operations = [migrations.RunPython(labels_to_campaigns, campaigns_to_labels)]
