// The cities the simulated suppliers sell: real places, with the districts and streets hotels
// take their names and addresses from, and the other spellings suppliers use for them.

struct City: Sendable {
    let name: String
    /// Other ways suppliers write the city (transliterations, local names).
    let otherNames: [String]
    let countryCode: String
    let latitude: Double
    let longitude: Double
    let districts: [String]
    let streets: [String]
    /// Relative room price level (1 = an average European capital).
    let priceLevel: Double

    static let all: [City] = [
        City(name: "Beijing", otherNames: ["Peking", "BEIJING"], countryCode: "CN", latitude: 39.9042, longitude: 116.4074,
             districts: ["Wangfujing", "Sanlitun", "Chaoyang", "Dongcheng", "Xicheng", "Haidian", "Guomao", "Dongzhimen"],
             streets: ["Wangfujing Street", "Jianguomen Outer Street", "Dongsanhuan North Road", "Chang'an Avenue", "Gongti North Road", "Xueyuan Road", "Dongzhimen South Street", "Jinbao Street"], priceLevel: 0.8),
        City(name: "Shanghai", otherNames: ["SHANGHAI", "Shang Hai"], countryCode: "CN", latitude: 31.2304, longitude: 121.4737,
             districts: ["The Bund", "Pudong", "Jing'an", "Xuhui", "Hongqiao", "Lujiazui", "People's Square", "Xintiandi"],
             streets: ["Nanjing East Road", "Huaihai Middle Road", "Century Avenue", "Yan'an West Road", "Zhongshan East 1st Road", "Hongqiao Road", "Xizang Middle Road", "Lujiazui Ring Road"], priceLevel: 0.9),
        City(name: "Guangzhou", otherNames: ["Canton", "GUANGZHOU"], countryCode: "CN", latitude: 23.1291, longitude: 113.2644,
             districts: ["Tianhe", "Yuexiu", "Zhujiang New Town", "Baiyun", "Haizhu", "Liwan"],
             streets: ["Tianhe Road", "Huanshi East Road", "Zhujiang West Road", "Jiefang North Road", "Yuejiang Middle Road", "Linhe West Road"], priceLevel: 0.6),
        City(name: "Shenzhen", otherNames: ["SHENZHEN", "Shen Zhen"], countryCode: "CN", latitude: 22.5431, longitude: 114.0579,
             districts: ["Futian", "Luohu", "Nanshan", "Shekou", "Bao'an", "Longgang"],
             streets: ["Shennan Boulevard", "Jintian Road", "Houhai Avenue", "Renmin South Road", "Shekou Industrial Road", "Bao'an Avenue"], priceLevel: 0.65),
        City(name: "Chengdu", otherNames: ["CHENGDU", "Cheng Du"], countryCode: "CN", latitude: 30.5728, longitude: 104.0668,
             districts: ["Chunxi", "Jinjiang", "Wuhou", "Tianfu", "Qingyang", "Kuanzhai Alley"],
             streets: ["Chunxi Road", "Renmin South Road", "Tianfu Avenue", "Shuncheng Street", "Hongxing Road", "Wuhouci Street"], priceLevel: 0.5),
        City(name: "Hangzhou", otherNames: ["HANGZHOU", "Hang Zhou"], countryCode: "CN", latitude: 30.2741, longitude: 120.1551,
             districts: ["West Lake", "Wulin", "Binjiang", "Qianjiang", "Xixi", "Gongshu"],
             streets: ["Hubin Road", "Yan'an Road", "Jiangnan Avenue", "Fuchun Road", "Tianmushan Road", "Zhongshan North Road"], priceLevel: 0.6),
        City(name: "Xi'an", otherNames: ["Xian", "XI AN"], countryCode: "CN", latitude: 34.3416, longitude: 108.9398,
             districts: ["Bell Tower", "Qujiang", "Big Wild Goose Pagoda", "Gaoxin", "Beilin", "Muslim Quarter"],
             streets: ["East Street", "Yanta Road", "Keji Road", "South Street", "Furong West Road", "Xiaozhai East Road"], priceLevel: 0.45),
        City(name: "Tokyo", otherNames: ["TOKYO", "Tōkyō"], countryCode: "JP", latitude: 35.6762, longitude: 139.6503,
             districts: ["Shinjuku", "Ginza", "Shibuya", "Asakusa", "Roppongi", "Ikebukuro", "Ueno", "Shinagawa"],
             streets: ["Nishi-Shinjuku", "Chuo-dori", "Dogenzaka", "Kaminarimon", "Roppongi-dori", "Higashi-Ikebukuro", "Ueno-koen", "Takanawa"], priceLevel: 1.1),
        City(name: "Osaka", otherNames: ["OSAKA", "Ōsaka"], countryCode: "JP", latitude: 34.6937, longitude: 135.5023,
             districts: ["Namba", "Umeda", "Shinsaibashi", "Tennoji", "Honmachi", "Kyobashi"],
             streets: ["Midosuji", "Sonezaki", "Shinsaibashi-suji", "Abeno-suji", "Honmachi-dori", "Katamachi"], priceLevel: 0.9),
        City(name: "Seoul", otherNames: ["SEOUL", "Soul"], countryCode: "KR", latitude: 37.5665, longitude: 126.978,
             districts: ["Myeongdong", "Gangnam", "Itaewon", "Jongno", "Hongdae", "Yeouido", "Dongdaemun"],
             streets: ["Namdaemun-ro", "Teheran-ro", "Itaewon-ro", "Jong-ro", "Yanghwa-ro", "Yeoui-daero", "Eulji-ro"], priceLevel: 0.9),
        City(name: "Bangkok", otherNames: ["BANGKOK", "Krung Thep"], countryCode: "TH", latitude: 13.7563, longitude: 100.5018,
             districts: ["Sukhumvit", "Silom", "Siam", "Riverside", "Pratunam", "Sathorn", "Khao San"],
             streets: ["Sukhumvit Road", "Silom Road", "Rama I Road", "Charoen Krung Road", "Ratchaprarop Road", "Sathorn Road", "Chakrabongse Road"], priceLevel: 0.5),
        City(name: "Singapore", otherNames: ["SINGAPORE", "Singapura"], countryCode: "SG", latitude: 1.3521, longitude: 103.8198,
             districts: ["Marina Bay", "Orchard", "Clarke Quay", "Bugis", "Sentosa", "Chinatown"],
             streets: ["Orchard Road", "Raffles Avenue", "River Valley Road", "Beach Road", "Sentosa Gateway", "New Bridge Road"], priceLevel: 1.2),
        City(name: "Kuala Lumpur", otherNames: ["KUALA LUMPUR", "KL"], countryCode: "MY", latitude: 3.139, longitude: 101.6869,
             districts: ["Bukit Bintang", "KLCC", "Bangsar", "Chinatown", "Mont Kiara", "Sentral"],
             streets: ["Jalan Bukit Bintang", "Jalan Ampang", "Jalan Sultan Ismail", "Jalan Petaling", "Jalan Kiara", "Jalan Stesen Sentral"], priceLevel: 0.45),
        City(name: "Hong Kong", otherNames: ["HONG KONG", "Hongkong"], countryCode: "HK", latitude: 22.3193, longitude: 114.1694,
             districts: ["Tsim Sha Tsui", "Central", "Causeway Bay", "Wan Chai", "Mong Kok", "Admiralty"],
             streets: ["Nathan Road", "Queen's Road Central", "Hennessy Road", "Gloucester Road", "Argyle Street", "Harcourt Road"], priceLevel: 1.2),
        City(name: "Taipei", otherNames: ["TAIPEI", "Taibei"], countryCode: "TW", latitude: 25.033, longitude: 121.5654,
             districts: ["Xinyi", "Zhongshan", "Da'an", "Ximending", "Songshan", "Beitou"],
             streets: ["Songshou Road", "Zhongshan North Road", "Dunhua South Road", "Hanzhong Street", "Nanjing East Road", "Guangming Road"], priceLevel: 0.8),
        City(name: "Paris", otherNames: ["PARIS", "Paris Centre"], countryCode: "FR", latitude: 48.8566, longitude: 2.3522,
             districts: ["Opera", "Montmartre", "Le Marais", "Saint-Germain", "Champs-Elysees", "Gare de Lyon", "Montparnasse", "Bastille"],
             streets: ["Rue de Rivoli", "Boulevard Haussmann", "Rue Saint-Honore", "Avenue des Champs-Elysees", "Boulevard Saint-Germain", "Rue de Lyon", "Boulevard du Montparnasse", "Rue de la Roquette"], priceLevel: 1.3),
        City(name: "London", otherNames: ["LONDON", "London City"], countryCode: "GB", latitude: 51.5074, longitude: -0.1278,
             districts: ["Westminster", "Kensington", "Covent Garden", "Paddington", "Canary Wharf", "King's Cross", "Shoreditch", "Mayfair"],
             streets: ["Strand", "Cromwell Road", "Long Acre", "Praed Street", "Westferry Circus", "Euston Road", "Great Eastern Street", "Park Lane"], priceLevel: 1.4),
        City(name: "Berlin", otherNames: ["BERLIN", "Berlin Mitte"], countryCode: "DE", latitude: 52.52, longitude: 13.405,
             districts: ["Mitte", "Kreuzberg", "Charlottenburg", "Alexanderplatz", "Potsdamer Platz", "Prenzlauer Berg"],
             streets: ["Friedrichstrasse", "Oranienstrasse", "Kurfuerstendamm", "Karl-Liebknecht-Strasse", "Potsdamer Strasse", "Schoenhauser Allee"], priceLevel: 0.9),
        City(name: "Rome", otherNames: ["Roma", "ROME"], countryCode: "IT", latitude: 41.9028, longitude: 12.4964,
             districts: ["Termini", "Trevi", "Trastevere", "Vatican", "Spanish Steps", "Colosseum"],
             streets: ["Via Nazionale", "Via del Corso", "Viale di Trastevere", "Via della Conciliazione", "Via Condotti", "Via Labicana"], priceLevel: 1.0),
        City(name: "Barcelona", otherNames: ["BARCELONA", "Barcelone"], countryCode: "ES", latitude: 41.3851, longitude: 2.1734,
             districts: ["Eixample", "Gothic Quarter", "Barceloneta", "Gracia", "Sants", "Poblenou"],
             streets: ["Passeig de Gracia", "La Rambla", "Passeig Joan de Borbo", "Carrer Gran de Gracia", "Carrer de Sants", "Rambla del Poblenou"], priceLevel: 1.0),
        City(name: "New York", otherNames: ["NEW YORK", "New York City"], countryCode: "US", latitude: 40.7128, longitude: -74.006,
             districts: ["Times Square", "Midtown", "SoHo", "Financial District", "Chelsea", "Upper East Side", "Brooklyn"],
             streets: ["West 44th Street", "Lexington Avenue", "Broome Street", "Wall Street", "West 23rd Street", "Madison Avenue", "Atlantic Avenue"], priceLevel: 1.6),
        City(name: "Dubai", otherNames: ["DUBAI", "Dubayy"], countryCode: "AE", latitude: 25.2048, longitude: 55.2708,
             districts: ["Downtown", "Dubai Marina", "Jumeirah", "Deira", "Business Bay", "Al Barsha"],
             streets: ["Sheikh Zayed Road", "Al Marsa Street", "Jumeirah Beach Road", "Al Rigga Road", "Marasi Drive", "Al Barsha Road"], priceLevel: 1.1),
        City(name: "Sydney", otherNames: ["SYDNEY", "Sydney CBD"], countryCode: "AU", latitude: -33.8688, longitude: 151.2093,
             districts: ["Circular Quay", "Darling Harbour", "The Rocks", "Surry Hills", "Bondi", "Pyrmont"],
             streets: ["George Street", "Sussex Street", "Cumberland Street", "Elizabeth Street", "Campbell Parade", "Harris Street"], priceLevel: 1.3),
        City(name: "Istanbul", otherNames: ["ISTANBUL", "İstanbul"], countryCode: "TR", latitude: 41.0082, longitude: 28.9784,
             districts: ["Sultanahmet", "Taksim", "Beyoglu", "Besiktas", "Sisli", "Kadikoy"],
             streets: ["Divan Yolu", "Istiklal Avenue", "Tepebasi Street", "Ciragan Street", "Buyukdere Avenue", "Bagdat Avenue"], priceLevel: 0.7),
    ]
}
