import datetime as dt
from tests.factories import make_user, referral_input
from tests.test_ui_letters import open_tab, click, choose_template
def test_shot(qtbot, services, settle):
    coord = make_user(services, "coordinator", "koord", full_name="Karin Koordinator")
    case_id = services.referrals.create_referral(coord, referral_input())
    services.letters.record_consent(coord, case_id, party="employer", given_date=dt.date(2026, 11, 20), given_to="Karen Holm", scope="Opgaver, timer og tilpasninger")
    tab = open_tab(qtbot, services, coord, case_id, settle)
    choose_template(tab, "start")
    click(qtbot, tab.write_button, settle)
    tab.window().grab().save("/tmp/lt/breve.png")
