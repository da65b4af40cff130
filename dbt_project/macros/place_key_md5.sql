{% macro place_key_md5(parts) -%}
md5({% for part in parts %}coalesce(cast({{ part }} as varchar), ''){% if not loop.last %} || '|' || {% endif %}{% endfor %})
{%- endmacro %}
