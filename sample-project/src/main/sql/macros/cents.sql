{% macro to_cents(column) -%}
  CAST({{ column }} * 100 AS BIGINT)
{%- endmacro %}
