-- One row per place that any claim is about: how often it was claimed, by
-- which sides, and the latest claim.
with

claims as (
    select * from {{ ref('int_territorial_claims_identified') }}
),

latest as (
    select
        place_key,
        gaining_side as latest_gaining_side,
        claim_date as latest_claim_date
    from claims
    qualify row_number() over (
        partition by place_key order by claim_date desc, claim_id
    ) = 1
),

rolled_up as (
    select
        place_key,
        min(location_id) as location_id,
        min(settlement) as settlement,
        min(admin1) as admin1,
        count(*) as n_claims,
        count(distinct article_id) as n_articles,
        count(distinct claimant_side) as n_claimant_sides,
        min(claim_date) as first_claim_date
    from claims
    group by place_key
),

final as (
    select
        rolled_up.*,
        latest.latest_claim_date,
        latest.latest_gaining_side
    from rolled_up
    inner join latest
        on rolled_up.place_key = latest.place_key
)

select * from final
