-- One row per article: is it the current version of any source file?
-- A file whose content changed keeps every version in raw; the newest one seen
-- for a path is current, and only current articles' facts reach the marts.
with

files as (
    select * from {{ ref('stg_raw__source_files') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by source_path
            order by ingested_at desc, content_sha256
        ) as version_rank
    from files
),

per_article as (
    select
        article_id,
        bool_or(version_rank = 1) as is_current,
        count(distinct source_path) as n_source_files
    from ranked
    group by article_id
)

select * from per_article
