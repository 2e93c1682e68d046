from django.db import migrations


class Migration(migrations.Migration):
    """The improvement items live on as tasks (0004): the old table goes."""

    dependencies = [("standards", "0004_action_items_to_tasks")]

    operations = [migrations.DeleteModel(name="ActionItem")]
