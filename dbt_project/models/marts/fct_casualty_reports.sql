with

reports as (
    select * from {{ ref('int_casualty_reports_identified') }}
),

final as (
    select
        report_id,
        article_id,
        casualty_id,
        event_rule,
        strike_id,
        location_id,
        place_key,
        incident_date,
        date_precision,
        admin1,
        admin2,
        settlement,
        place_name,
        feature_type,
        country_code,
        latitude,
        longitude,
        killed,
        injured,
        count_qualifier,
        victim_group,
        reported_by,
        evidence,
        evidence_start,
        evidence_end,
        sentence_index,
        mention_start,
        parser_version
    from reports
)

select * from final
order by article_id, sentence_index, mention_start
