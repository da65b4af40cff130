with

claims as (
    select * from {{ ref('int_territorial_claims_identified') }}
),

final as (
    select
        claim_id,
        article_id,
        location_id,
        place_key,
        claim_date,
        date_precision,
        settlement,
        admin1,
        admin2,
        country_code,
        latitude,
        longitude,
        claimant,
        claimant_side,
        gaining_side,
        claim_type,
        verification,
        reported_by,
        evidence,
        evidence_start,
        evidence_end,
        sentence_index,
        mention_start,
        parser_version
    from claims
)

select * from final
order by article_id, sentence_index, mention_start
