"""Cases whose events were all handled inline (before queued delivery, or by a bulk loader)
get a cursor at their last event: from now on a case without a cursor is one none of whose
events has been handled (fengqiao.cases.hooks), so writing an event needs no cursor write."""

from django.db import migrations

MARK_HANDLED_SQL = (
    "INSERT INTO cases_eventcursor (case_id, seq) "
    "SELECT e.case_id, MAX(e.seq) FROM cases_caseevent e "
    "WHERE NOT EXISTS (SELECT 1 FROM cases_eventcursor c WHERE c.case_id = e.case_id) "
    "GROUP BY e.case_id"
)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_lean_indexes")]

    operations = [migrations.RunSQL(MARK_HANDLED_SQL, reverse_sql=migrations.RunSQL.noop)]
