"""Records that carry their text in both languages (``name_en`` / ``name_zh``): shipped frameworks, KPIs."""

from django.utils.translation import get_language


class Bilingual:
    """Pick the Chinese or English text of a field pair by the active language."""

    def _pick(self, field):
        chinese = (get_language() or "").lower().startswith("zh")
        return (getattr(self, f"{field}_zh") if chinese else getattr(self, f"{field}_en")) or getattr(
            self, f"{field}_en"
        )
