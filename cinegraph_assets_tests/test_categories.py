"""Classifying category and award names."""

from __future__ import annotations

import pytest

from cinegraph_assets.ceremonies.categories import classify


@pytest.mark.parametrize(
    "name,type_,competitive",
    [
        ("Foreign Language Film", "competitive", True),
        ("Short Subject (Cartoon)", "competitive", True),
        ("Art Direction (Black-and-White)", "competitive", True),
        ("Honorary Award", "honorary", False),
        ("Jean Hersholt Humanitarian Award", "humanitarian", False),
        ("Irving G. Thalberg Memorial Award", "thalberg", False),
        ("Technical Achievement Award", "scientific_technical", False),
        ("Engineering Effects", "competitive", True),
    ],
)
def test_category_classification(name, type_, competitive):
    info = classify(name)
    assert (info.category_type, info.is_competitive) == (type_, competitive)
