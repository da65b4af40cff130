{% test event_reports_agree(model, column_name, date_column, side_column=none) %}
{#- Events (rows of `model` sharing `column_name`) with several reports that
    could not all be of one real event: a report not dated to the day, two
    dates (so also two years), two regions, or two named sides. -#}
select
    {{ column_name }},
    count(*) as n_reports,
    count(*) filter (where date_precision is distinct from 'day') as n_not_day,
    count(distinct {{ date_column }}) as n_dates,
    count(distinct admin1) as n_regions
    {%- if side_column %},
    count(distinct {{ side_column }}) filter (where {{ side_column }} != 'unknown') as n_sides
    {%- endif %}
from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having
    count(*) > 1
    and (
        count(*) filter (where date_precision is distinct from 'day') > 0
        or count(distinct {{ date_column }}) > 1
        or count(distinct year({{ date_column }})) > 1
        or count(distinct admin1) > 1
        {%- if side_column %}
        or count(distinct {{ side_column }}) filter (where {{ side_column }} != 'unknown') > 1
        {%- endif %}
    )
{% endtest %}
