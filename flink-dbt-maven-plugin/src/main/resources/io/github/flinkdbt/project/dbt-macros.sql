{#- dbt's cross-database macros with Flink SQL bodies. Each dispatches as in dbt: a project's
    flink__<name> or default__<name> wins over the body here, and a project macro of the same name
    wins over the whole macro. Loaded before the project's macros. -#}

{% macro string_literal(value) -%}{{ return(adapter.dispatch('string_literal', 'dbt')(value)) }}{%- endmacro %}
{% macro default__string_literal(value) -%}'{{ value }}'{%- endmacro %}

{% macro escape_single_quotes(expression) -%}{{ return(adapter.dispatch('escape_single_quotes', 'dbt')(expression)) }}{%- endmacro %}
{% macro default__escape_single_quotes(expression) -%}{{ expression | replace("'", "''") }}{%- endmacro %}

{% macro concat(fields) -%}{{ return(adapter.dispatch('concat', 'dbt')(fields)) }}{%- endmacro %}
{% macro default__concat(fields) -%}{{ fields | join(' || ') }}{%- endmacro %}

{% macro cast(field, type) -%}{{ return(adapter.dispatch('cast', 'dbt')(field, type)) }}{%- endmacro %}
{% macro default__cast(field, type) -%}CAST({{ field }} AS {{ type }}){%- endmacro %}

{% macro safe_cast(field, type) -%}{{ return(adapter.dispatch('safe_cast', 'dbt')(field, type)) }}{%- endmacro %}
{% macro default__safe_cast(field, type) -%}TRY_CAST({{ field }} AS {{ type }}){%- endmacro %}

{% macro cast_bool_to_text(field) -%}{{ return(adapter.dispatch('cast_bool_to_text', 'dbt')(field)) }}{%- endmacro %}
{% macro default__cast_bool_to_text(field) -%}LOWER(CAST({{ field }} AS STRING)){%- endmacro %}

{% macro hash(field) -%}{{ return(adapter.dispatch('hash', 'dbt')(field)) }}{%- endmacro %}
{% macro default__hash(field) -%}MD5(CAST({{ field }} AS STRING)){%- endmacro %}

{% macro length(expression) -%}{{ return(adapter.dispatch('length', 'dbt')(expression)) }}{%- endmacro %}
{% macro default__length(expression) -%}CHAR_LENGTH({{ expression }}){%- endmacro %}

{% macro position(substring_text, string_text) -%}{{ return(adapter.dispatch('position', 'dbt')(substring_text, string_text)) }}{%- endmacro %}
{% macro default__position(substring_text, string_text) -%}POSITION({{ substring_text }} IN {{ string_text }}){%- endmacro %}

{% macro replace(field, old_chars, new_chars) -%}{{ return(adapter.dispatch('replace', 'dbt')(field, old_chars, new_chars)) }}{%- endmacro %}
{% macro default__replace(field, old_chars, new_chars) -%}REPLACE({{ field }}, {{ old_chars }}, {{ new_chars }}){%- endmacro %}

{% macro right(string_text, length_expression) -%}{{ return(adapter.dispatch('right', 'dbt')(string_text, length_expression)) }}{%- endmacro %}
{% macro default__right(string_text, length_expression) -%}CASE WHEN {{ length_expression }} = 0 THEN '' ELSE SUBSTRING({{ string_text }} FROM CHAR_LENGTH({{ string_text }}) - ({{ length_expression }}) + 1) END{%- endmacro %}

{% macro split_part(string_text, delimiter_text, part_number) -%}{{ return(adapter.dispatch('split_part', 'dbt')(string_text, delimiter_text, part_number)) }}{%- endmacro %}
{% macro default__split_part(string_text, delimiter_text, part_number) -%}SPLIT_INDEX({{ string_text }}, {{ delimiter_text }}, {{ part_number }} - 1){%- endmacro %}

{#- the default delimiter (a comma) in the body: Jinjava splits a macro's parameters at every comma -#}
{% macro listagg(measure, delimiter_text='', order_by_clause='', limit_num='') -%}{{ return(adapter.dispatch('listagg', 'dbt')(measure, delimiter_text, order_by_clause, limit_num)) }}{%- endmacro %}
{% macro default__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
{%- if order_by_clause or limit_num -%}{{ exceptions.raise_compiler_error("listagg with an order_by_clause or a limit_num: Flink's LISTAGG keeps neither an order nor a limit. Aggregate without them, or order the rows with a window function first.") }}{%- endif -%}
LISTAGG({{ measure }}, {{ delimiter_text if delimiter_text else "','" }}){%- endmacro %}

{% macro any_value(expression) -%}{{ return(adapter.dispatch('any_value', 'dbt')(expression)) }}{%- endmacro %}
{% macro default__any_value(expression) -%}MIN({{ expression }}){%- endmacro %}

{% macro bool_or(expression) -%}{{ return(adapter.dispatch('bool_or', 'dbt')(expression)) }}{%- endmacro %}
{% macro default__bool_or(expression) -%}MAX(CASE WHEN {{ expression }} THEN 1 ELSE 0 END) = 1{%- endmacro %}

{% macro current_timestamp() -%}{{ return(adapter.dispatch('current_timestamp', 'dbt')()) }}{%- endmacro %}
{% macro default__current_timestamp() -%}CURRENT_TIMESTAMP{%- endmacro %}

{% macro date_trunc(datepart, date) -%}{{ return(adapter.dispatch('date_trunc', 'dbt')(datepart, date)) }}{%- endmacro %}
{% macro default__date_trunc(datepart, date) -%}FLOOR({{ date }} TO {{ datepart | upper }}){%- endmacro %}

{% macro dateadd(datepart, interval, from_date_or_timestamp) -%}{{ return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) }}{%- endmacro %}
{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}TIMESTAMPADD({{ datepart | upper }}, {{ interval }}, {{ from_date_or_timestamp }}){%- endmacro %}

{#- boundaries crossed, as dbt counts them: 23:00 to 01:00 the next day is one day -#}
{% macro datediff(first_date, second_date, datepart) -%}{{ return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) }}{%- endmacro %}
{% macro default__datediff(first_date, second_date, datepart) -%}TIMESTAMPDIFF({{ datepart | upper }}, FLOOR(CAST({{ first_date }} AS TIMESTAMP(3)) TO {{ datepart | upper }}), FLOOR(CAST({{ second_date }} AS TIMESTAMP(3)) TO {{ datepart | upper }})){%- endmacro %}

{% macro last_day(date, datepart) -%}{{ return(adapter.dispatch('last_day', 'dbt')(date, datepart)) }}{%- endmacro %}
{% macro default__last_day(date, datepart) -%}CAST(TIMESTAMPADD(DAY, -1, TIMESTAMPADD({{ datepart | upper }}, 1, FLOOR(CAST({{ date }} AS TIMESTAMP(3)) TO {{ datepart | upper }}))) AS DATE){%- endmacro %}

{% macro except() -%}{{ return(adapter.dispatch('except', 'dbt')()) }}{%- endmacro %}
{% macro default__except() -%}EXCEPT{%- endmacro %}

{% macro intersect() -%}{{ return(adapter.dispatch('intersect', 'dbt')()) }}{%- endmacro %}
{% macro default__intersect() -%}INTERSECT{%- endmacro %}

{% macro type_string() -%}{{ return(adapter.dispatch('type_string', 'dbt')()) }}{%- endmacro %}
{% macro default__type_string() -%}STRING{%- endmacro %}

{% macro type_numeric() -%}{{ return(adapter.dispatch('type_numeric', 'dbt')()) }}{%- endmacro %}
{% macro default__type_numeric() -%}DECIMAL(28, 6){%- endmacro %}

{% macro type_int() -%}{{ return(adapter.dispatch('type_int', 'dbt')()) }}{%- endmacro %}
{% macro default__type_int() -%}INT{%- endmacro %}

{% macro type_bigint() -%}{{ return(adapter.dispatch('type_bigint', 'dbt')()) }}{%- endmacro %}
{% macro default__type_bigint() -%}BIGINT{%- endmacro %}

{% macro type_float() -%}{{ return(adapter.dispatch('type_float', 'dbt')()) }}{%- endmacro %}
{% macro default__type_float() -%}DOUBLE{%- endmacro %}

{% macro type_boolean() -%}{{ return(adapter.dispatch('type_boolean', 'dbt')()) }}{%- endmacro %}
{% macro default__type_boolean() -%}BOOLEAN{%- endmacro %}

{% macro type_timestamp() -%}{{ return(adapter.dispatch('type_timestamp', 'dbt')()) }}{%- endmacro %}
{% macro default__type_timestamp() -%}TIMESTAMP(3){%- endmacro %}

{% macro log(msg, info=False) -%}{%- endmacro %}
