-- Territorial claims of current articles, with their ids.
with

claims as (
    select * from {{ ref('stg_extractor__territorial_claims') }}
),

articles as (
    select * from {{ ref('int_articles_versioned') }}
),

identified as (
    select
        {{ surrogate_key(['claims.article_id', 'claims.sentence_index', 'claims.place_key']) }} as claim_id,
        claims.*
    from claims
    inner join articles
        on claims.article_id = articles.article_id
    where articles.is_current
)

select * from identified
