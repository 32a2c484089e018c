import json

import pytest
from django.core.management import call_command

from opvangregie.capacity.models import DistributionShare, Target
from opvangregie.capacity.reference import reference_load_all
from opvangregie.organisations.models import PopulationFigure
from opvangregie.organisations.statline import StatlineError, population_import_statline

TYPED = """"ID";"RegioS";"Perioden";"BevolkingOp1Januari_1"
"1";"GM0569    ";"2024JJ00";"29500"
"2";"GM0638    ";"2024JJ00";"9100"
"3";"NL01      ";"2024JJ00";"17942942"
"""
SITE = (
    (
        '"Regio\'s";"Perioden";"Bevolkingsdichtheid (aantal inwoners per km²)";'
        '"Bevolking op 1 januari (aantal)"\n'
    )
    + """"Nieuwkoop";"2024";"380";"29500"
"Waddinxveen";"2024";"1200";"33100"
"""
)


@pytest.fixture
def region(db: None) -> None:
    reference_load_all(region="hollands-midden")


def test_typed_export_adds_figures_and_skips_other_regions(region: None) -> None:
    report = population_import_statline(text=TYPED)
    assert (report.created, report.skipped) == (2, ["NL01"])
    figure = PopulationFigure.objects.get(organisation__code="GM0569", reference_date="2024-01-01")
    assert figure.population == 29500
    again = population_import_statline(text=TYPED)
    assert (again.created, again.unchanged) == (0, 2)


def test_site_export_with_names_and_density_column(region: None) -> None:
    report = population_import_statline(text=SITE)
    assert report.created == 2
    assert (
        PopulationFigure.objects.get(
            organisation__code="GM0627", reference_date="2024-01-01"
        ).population
        == 33100
    )


def test_not_an_export(region: None) -> None:
    with pytest.raises(StatlineError):
        population_import_statline(text="a,b\n1,2\n")


def test_refresh_updates_weights_and_targets_keep_their_total(
    region: None, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "statline.csv"  # type: ignore[operator]
    path.write_text(TYPED.replace("9100", "60000"), encoding="utf-8")
    before = Target.objects.get(kind="asylum_durable", municipality__code="GM0638").amount
    call_command(
        "distribution_key", "--key", "hm-bevolking", "--statline", str(path), "--format", "json"
    )
    result = json.loads(capsys.readouterr().out)
    assert result["weights"]["GM0638"] == 60000
    assert DistributionShare.objects.get(municipality__code="GM0638").weight == 60000
    after = Target.objects.get(kind="asylum_durable", municipality__code="GM0638").amount
    assert after > before
    assert (
        sum(Target.objects.filter(kind="asylum_durable").values_list("amount", flat=True)) == 2200
    )
