with

reports as (
    select * from {{ ref('int_strike_reports_identified') }}
),

final as (
    select
        report_id,
        article_id,
        strike_id,
        event_rule,
        location_id,
        place_key,
        strike_date,
        date_precision,
        perpetrator_side,
        target_country,
        admin1,
        admin2,
        settlement,
        place_name,
        feature_type,
        country_code,
        latitude,
        longitude,
        weapon,
        target_type,
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
