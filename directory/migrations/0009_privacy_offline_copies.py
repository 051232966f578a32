"""The privacy text tells what the service worker keeps on the device and about the CSRF
cookie of the report form. Only the shipped wording is replaced: a text the coordinator
has rewritten is left as it is (the admin shows the new default for comparison)."""

from django.db import migrations

OLD_INTRO = (
    "Wir setzen keine Cookies, verwenden keine Analyse- oder Werbedienste und laden keine Inhalte von anderen "
    "Servern (keine Schriften, Karten oder Videos von Dritten)."
)
NEW_INTRO = (
    "Wir setzen keine Cookies zur Wiedererkennung (nur das Meldeformular setzt ein Sicherheits-Cookie, siehe 4.), "
    "verwenden keine Analyse- oder Werbedienste und laden keine Inhalte von anderen Servern (keine Schriften, "
    "Karten oder Videos von Dritten)."
)
OLD_SECTION = (
    "## 4. Keine Cookies, keine Weitergabe beim Klick auf Links\n\n"
    "Die öffentlichen Seiten speichern nichts auf Ihrem Gerät. Wenn Sie einem Link"
)


def new_section():
    from directory.legal import default_page

    body = default_page("datenschutz").body
    start = body.index("## 4. ")
    end = body.index("Wenn Sie einem Link", start)
    return body[start:end]


def forwards(apps, schema_editor):
    LegalPage = apps.get_model("directory", "LegalPage")
    for page in LegalPage.objects.filter(kind="datenschutz"):
        body = page.body.replace("\r\n", "\n")
        if OLD_SECTION not in body:
            continue
        body = body.replace(OLD_SECTION, new_section() + "Wenn Sie einem Link").replace(OLD_INTRO, NEW_INTRO)
        LegalPage.objects.filter(pk=page.pk).update(body=body)


def backwards(apps, schema_editor):
    LegalPage = apps.get_model("directory", "LegalPage")
    section = new_section()
    for page in LegalPage.objects.filter(kind="datenschutz"):
        if section in page.body:
            body = page.body.replace(section + "Wenn Sie einem Link", OLD_SECTION).replace(NEW_INTRO, OLD_INTRO)
            LegalPage.objects.filter(pk=page.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_role_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
