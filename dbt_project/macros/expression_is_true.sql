{% test expression_is_true(model, expression) %}
{#- Rows for which the expression is false fail the test (nulls pass). -#}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
