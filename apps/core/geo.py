"""Polygons drawn on the dashboard's map (parkings, stock areas, borders, speed zones).

A shape travels as the seed gives it: a list of `[latitude, longitude]` points (the order map widgets hand
over). It is validated with shapely, kept as given, served back as given and as GeoJSON (which orders
`[longitude, latitude]`), and indexed by its bounding box so that "which vehicles are inside" is one
bounded SQL query followed by an exact point-in-polygon test. PostGIS is deliberately not required: the
embedded PostgreSQL of `./fleet up` ships without it, and fleet polygons are few and small.
"""
from __future__ import annotations

import math
from functools import cached_property
from decimal import Decimal
from numbers import Real

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from shapely.geometry import Point, Polygon
from shapely.validation import explain_validity


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Meters between two points (haversine on a sphere of the Earth's mean radius: a few meters off at most over
    an unlock distance)."""
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (lat1, lon1, lat2, lon2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(h)))


def path_length_m(points, *, noise_m: float = 10) -> int:
    """Meters along `points` ((latitude, longitude), in order), a point closer than `noise_m` to the last one
    counted being GPS drift, not a move."""
    total, last = 0.0, None
    for point in points:
        if last is None:
            last = point
            continue
        step = distance_m(*last, *point)
        if step >= noise_m:
            total, last = total + step, point
    return round(total)


class ShapeError(ValueError):
    pass


def polygon_from_points(points) -> Polygon:
    """The polygon `points` describe, or ShapeError saying what is wrong with them."""
    if not isinstance(points, list):
        raise ShapeError("A shape is a list of [latitude, longitude] points.")
    for index, point in enumerate(points):
        if (not isinstance(point, list) or len(point) != 2
                or not all(isinstance(c, Real | Decimal) and not isinstance(c, bool) for c in point)):
            raise ShapeError(f"Point {index} must be a [latitude, longitude] pair of numbers.")
        latitude, longitude = point
        if not -90 <= latitude <= 90:
            raise ShapeError(f"Point {index}: latitude must be between -90 and 90.")
        if not -180 <= longitude <= 180:
            raise ShapeError(f"Point {index}: longitude must be between -180 and 180.")
    ring = [tuple(p) for p in points]
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]  # a closed ring is accepted; shapely closes it again
    if len(set(ring)) < 3:
        raise ShapeError("A shape needs at least 3 distinct points.")
    polygon = Polygon([(lng, lat) for lat, lng in ring])
    if polygon.area == 0:
        raise ShapeError("The shape encloses no area.")
    if not polygon.is_valid:
        raise ShapeError(f"The shape is not a simple polygon ({explain_validity(polygon)}).")
    return polygon


SHAPE_SCHEMA = {
    "type": "array", "minItems": 3, "description": "A polygon: [latitude, longitude] points (closed or closable).",
    "items": {"type": "array", "minItems": 2, "maxItems": 2,
              "items": {"type": "number", "minimum": -180, "maximum": 180}},
}


@extend_schema_field(SHAPE_SCHEMA)
class ShapeField(serializers.Field):
    """A body field holding a shape; validates it and hands the view the points as given (as floats: the
    API's JSON parser reads numbers as Decimal, which JSON columns cannot store)."""

    def to_internal_value(self, data):
        try:
            polygon_from_points(data)
        except ShapeError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return [[float(latitude), float(longitude)] for latitude, longitude in data]

    def to_representation(self, value):
        return value


class ShapedModel(models.Model):
    """A row with a shape and its bounding box (so containment queries start with an indexed range)."""

    shape = models.JSONField(help_text="[[latitude, longitude], ...] as given.")
    min_latitude = models.FloatField(editable=False)
    max_latitude = models.FloatField(editable=False)
    min_longitude = models.FloatField(editable=False)
    max_longitude = models.FloatField(editable=False)

    class Meta:
        abstract = True

    @cached_property
    def polygon(self) -> Polygon:
        return polygon_from_points(self.shape)

    def set_shape(self, points) -> None:
        polygon = polygon_from_points(points)
        min_lng, min_lat, max_lng, max_lat = polygon.bounds
        self.shape, self.polygon = points, polygon
        self.min_latitude, self.max_latitude = min_lat, max_lat
        self.min_longitude, self.max_longitude = min_lng, max_lng

    def geojson(self) -> dict:
        exterior = [[lng, lat] for lng, lat in self.polygon.exterior.coords]
        return {"type": "Polygon", "coordinates": [exterior]}

    def contains(self, latitude, longitude) -> bool:
        return latitude is not None and longitude is not None and self.polygon.covers(
            Point(float(longitude), float(latitude)))


def within_bounding_boxes(queryset, shapes, *, latitude="latitude", longitude="longitude"):
    """Rows of `queryset` whose position lies in the bounding box of any of `shapes` (a superset of inside)."""
    condition = models.Q(pk__in=[])
    for shape in shapes:
        condition |= models.Q(**{
            f"{latitude}__gte": shape.min_latitude, f"{latitude}__lte": shape.max_latitude,
            f"{longitude}__gte": shape.min_longitude, f"{longitude}__lte": shape.max_longitude,
        })
    return queryset.filter(condition)


class ShapeOut(serializers.Serializer):
    shape = serializers.JSONField(help_text="[[latitude, longitude], ...] as given.")
    geojson = serializers.SerializerMethodField(help_text="The same polygon as a GeoJSON Polygon geometry.")

    def get_geojson(self, shaped) -> dict:
        return shaped.geojson()
