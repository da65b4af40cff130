{% macro surrogate_key(parts) -%}
md5({% for part in parts %}coalesce(cast({{ part }} as varchar), ''){% if not loop.last %} || '|' || {% endif %}{% endfor %})
{%- endmacro %}
